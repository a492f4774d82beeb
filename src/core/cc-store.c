/* PLACEHOLDER — replaced by the store implementation. */
#include "cc-store.h"
