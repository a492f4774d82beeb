/* PLACEHOLDER — replaced by the standalone sandbox server. */
int main (void) { return 1; }
