{
  "targets": [
    {
      "target_name": "quiver_native",
      "sources": ["huge_pages.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
