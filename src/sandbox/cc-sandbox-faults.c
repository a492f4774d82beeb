/* PLACEHOLDER — replaced by the sandbox implementation. */
#include "cc-sandbox-faults.h"
