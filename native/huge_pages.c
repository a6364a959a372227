// Quiver's one native helper: memory advice for the big ranges (huge pages, and giving freed
// ranges back), which Node cannot give itself.
//
// Why: on machines where transparent_hugepage is "madvise" (Debian's default, and this project's
// CI), anonymous memory gets 4 KiB pages unless the range is advised. Reading a 512 MB vector column
// into fresh 4 KiB pages costs one page fault per 4 KiB; in the VMs measured here that ran at about
// 300 MB/s, against several GB/s with 2 MiB pages. Node has no madvise of its own, and WebAssembly
// memory is mapped by V8 (not malloc), so GLIBC_TUNABLES cannot reach it. Everything else stays in
// TypeScript: this file only turns a typed array into an address range for madvise.
#include <errno.h>
#include <node_api.h>
#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE_BYTES ((uintptr_t)2 << 20)

// Advises the whole 2 MiB pages inside [first byte of the typed array argv[0], + byteLength).
// Returns 0 on success, else the errno of madvise, or -1 for arguments that are not a typed array
// with memory and a positive length.
static int32_t AdviseRange(napi_env env, napi_value array, double byteLength, int advice) {
  napi_typedarray_type type;
  size_t length;
  void *data = NULL;
  napi_value arraybuffer;
  size_t byteOffset;
  if (napi_get_typedarray_info(env, array, &type, &length, &data, &arraybuffer, &byteOffset) != napi_ok ||
      data == NULL || !(byteLength > 0)) {
    return -1;
  }
  uintptr_t first = ((uintptr_t)data + HUGE_PAGE_BYTES - 1) & ~(HUGE_PAGE_BYTES - 1);
  uintptr_t end = ((uintptr_t)data + (uintptr_t)byteLength) & ~(HUGE_PAGE_BYTES - 1);
  if (end <= first) return 0;  // less than one whole huge page: nothing to advise
  return madvise((void *)first, end - first, advice) == 0 ? 0 : errno;
}

// adviseHugePages(view, byteLength): MADV_HUGEPAGE. byteLength may exceed the view (a WebAssembly
// memory's reservation beyond its current size).
static napi_value AdviseHugePages(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  double byteLength = 0;
  int32_t outcome = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 2 &&
      napi_get_value_double(env, argv[1], &byteLength) == napi_ok) {
    outcome = AdviseRange(env, argv[0], byteLength, MADV_HUGEPAGE);
  }
  napi_value result;
  napi_create_int32(env, outcome, &result);
  return result;
}

// discardPages(view): MADV_DONTNEED over the view (its pages read as zeros when next touched). For
// big released regions of the kernel memory: WebAssembly memory never shrinks, so without this a
// region freed after a growing column moved on would stay resident for the life of the process.
static napi_value DiscardPages(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t outcome = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 1) {
    napi_typedarray_type type;
    size_t length;
    void *data = NULL;
    napi_value arraybuffer;
    size_t byteOffset;
    if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &arraybuffer, &byteOffset) == napi_ok &&
        type == napi_uint8_array) {
      outcome = AdviseRange(env, argv[0], (double)length, MADV_DONTNEED);
    }
  }
  napi_value result;
  napi_create_int32(env, outcome, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "adviseHugePages", NAPI_AUTO_LENGTH, AdviseHugePages, NULL, &fn);
  napi_set_named_property(env, exports, "adviseHugePages", fn);
  napi_create_function(env, "discardPages", NAPI_AUTO_LENGTH, DiscardPages, NULL, &fn);
  napi_set_named_property(env, exports, "discardPages", fn);
  return exports;
}
