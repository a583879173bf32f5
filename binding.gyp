{
  "targets": [
    {
      "target_name": "vppkit_stats",
      "sources": ["native/stats.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-O2"]
    }
  ]
}
