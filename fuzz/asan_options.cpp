// AddressSanitizer's defaults for the libFuzzer programs (ASAN_OPTIONS still
// overrides them). Its quarantine keeps freed memory for a while to catch use
// after free; at its default of 256 MB, that memory would count against the
// 512 MB RSS limit as if the code under test held it. 64 MB still catches a
// use of anything freed by the last few inputs.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=64"; }
