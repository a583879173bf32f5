/*
 * vppkit's stats addon: the two things Node cannot do for VPP's stats segment.
 *   receiveFd(path, timeoutMs) -> Promise<fd>  connect to a SOCK_SEQPACKET socket, take one fd (SCM_RIGHTS)
 *   map(fd, writable) -> ArrayBuffer           mmap the whole file, shared, as an external ArrayBuffer
 *   unmap(buffer)                              munmap and detach (reads afterwards see length 0)
 *   serveFd(path, fd) -> { close() }          listen; send fd to each client, then close it (as VPP does)
 * Every error message ends with strerror(errno).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#define CHECK(env, call)                                                                           \
  do {                                                                                             \
    if ((call) != napi_ok) {                                                                       \
      napi_throw_error((env), NULL, "vppkit-stats: N-API call failed: " #call);                    \
      return NULL;                                                                                 \
    }                                                                                              \
  } while (0)

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

/* A socket path from JS, checked against sun_path's size. */
static int get_path(napi_env env, napi_value v, struct sockaddr_un *addr) {
  size_t len = 0;
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (napi_get_value_string_utf8(env, v, addr->sun_path, sizeof addr->sun_path, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "socket path must be a string");
    return -1;
  }
  if (len == 0 || len >= sizeof addr->sun_path - 1) {
    char msg[160];
    snprintf(msg, sizeof msg, "socket path must be 1 to %zu bytes long", sizeof addr->sun_path - 2);
    napi_throw_range_error(env, NULL, msg);
    return -1;
  }
  return 0;
}

/* ---- receiveFd: on a worker thread, as connect and recvmsg may wait for the server ---- */

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  struct sockaddr_un addr;
  int timeout_ms;
  int fd;
  char error[400];
} receive_t;

static long remaining_ms(const struct timespec *deadline) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
  return ms < 0 ? 0 : ms;
}

static void receive_execute(napi_env env, void *data) {
  (void)env;
  receive_t *r = data;
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += r->timeout_ms / 1000;
  deadline.tv_nsec += (long)(r->timeout_ms % 1000) * 1000000;
  if (deadline.tv_nsec >= 1000000000) deadline.tv_sec++, deadline.tv_nsec -= 1000000000;

  int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (s < 0) {
    snprintf(r->error, sizeof r->error, "socket: %s", strerror(errno));
    return;
  }
  if (connect(s, (struct sockaddr *)&r->addr, sizeof r->addr) < 0) {
    snprintf(r->error, sizeof r->error, "connect: %s", strerror(errno));
    close(s);
    return;
  }
  struct pollfd p = {.fd = s, .events = POLLIN};
  int n;
  do n = poll(&p, 1, (int)remaining_ms(&deadline));
  while (n < 0 && errno == EINTR);
  if (n <= 0) {
    if (n == 0) snprintf(r->error, sizeof r->error, "no descriptor within %d ms: %s", r->timeout_ms, strerror(ETIMEDOUT));
    else snprintf(r->error, sizeof r->error, "poll: %s", strerror(errno));
    close(s);
    return;
  }
  char byte;
  struct iovec io = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  ssize_t got;
  do got = recvmsg(s, &msg, MSG_CMSG_CLOEXEC);
  while (got < 0 && errno == EINTR);
  int err = errno;
  close(s);
  if (got < 0) {
    snprintf(r->error, sizeof r->error, "recvmsg: %s", strerror(err));
    return;
  }
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
    snprintf(r->error, sizeof r->error, "the server sent no descriptor (SCM_RIGHTS): %s", strerror(EPROTO));
    return;
  }
  memcpy(&r->fd, CMSG_DATA(c), sizeof(int));
}

static void receive_complete(napi_env env, napi_status status, void *data) {
  receive_t *r = data;
  napi_value v;
  if (status == napi_ok && r->fd >= 0) {
    napi_create_int32(env, r->fd, &v);
    napi_resolve_deferred(env, r->deferred, v);
  } else {
    napi_value msg;
    napi_create_string_utf8(env, r->error[0] ? r->error : "receiveFd: cancelled", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &v);
    napi_reject_deferred(env, r->deferred, v);
  }
  napi_delete_async_work(env, r->work);
  free(r);
}

static napi_value receive_fd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], promise, name;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  receive_t *r = calloc(1, sizeof *r);
  if (!r) return throw_errno(env, "receiveFd", ENOMEM);
  r->fd = -1;
  if (get_path(env, argv[0], &r->addr) < 0 || napi_get_value_int32(env, argv[1], &r->timeout_ms) != napi_ok || r->timeout_ms <= 0) {
    free(r);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_range_error(env, NULL, "timeoutMs must be a positive integer");
    return NULL;
  }
  CHECK(env, napi_create_promise(env, &r->deferred, &promise));
  CHECK(env, napi_create_string_utf8(env, "vppkit-stats-receive", NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_create_async_work(env, NULL, name, receive_execute, receive_complete, r, &r->work));
  CHECK(env, napi_queue_async_work(env, r->work));
  return promise;
}

/* ---- map / unmap ---- */

typedef struct {
  void *addr;
  size_t size;
} mapping_t;

/* Runs when the ArrayBuffer's memory is released: by GC, or by unmap's detach. */
static void mapping_finalize(napi_env env, void *data, void *hint) {
  (void)env, (void)data;
  mapping_t *m = hint;
  if (m->addr) munmap(m->addr, m->size);
  free(m);
}

static napi_value map_fd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  int fd;
  bool writable;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_bool(env, argv[1], &writable) != napi_ok) {
    napi_throw_type_error(env, NULL, "map(fd: number, writable: boolean)");
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) < 0) return throw_errno(env, "fstat", errno);
  if (st.st_size <= 0) return throw_errno(env, "map: the file is empty", EINVAL);
  int prot = PROT_READ | (writable ? PROT_WRITE : 0);
  void *addr = mmap(NULL, (size_t)st.st_size, prot, MAP_SHARED, fd, 0);
  if (addr == MAP_FAILED) return throw_errno(env, "mmap", errno);
  mapping_t *m = malloc(sizeof *m);
  if (!m) {
    munmap(addr, (size_t)st.st_size);
    return throw_errno(env, "map", ENOMEM);
  }
  m->addr = addr;
  m->size = (size_t)st.st_size;
  if (napi_create_external_arraybuffer(env, addr, m->size, mapping_finalize, m, &out) != napi_ok) {
    munmap(addr, m->size);
    free(m);
    napi_throw_error(env, NULL, "map: cannot create an external ArrayBuffer");
    return NULL;
  }
  /* unmap finds the mapping through the buffer itself (a private wrap, not a JS property). */
  CHECK(env, napi_wrap(env, out, m, NULL, NULL, NULL));
  return out;
}

static napi_value unmap_buffer(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], undefined;
  bool is_ab = false, detached = false;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(env, napi_get_undefined(env, &undefined));
  if (argc < 1 || napi_is_arraybuffer(env, argv[0], &is_ab) != napi_ok || !is_ab) {
    napi_throw_type_error(env, NULL, "unmap(buffer: ArrayBuffer)");
    return NULL;
  }
  /* Detached: unmapped already (the mapping may be freed since; do not look at it). */
  CHECK(env, napi_is_detached_arraybuffer(env, argv[0], &detached));
  if (detached) return undefined;
  mapping_t *m;
  if (napi_unwrap(env, argv[0], (void **)&m) != napi_ok) {
    napi_throw_type_error(env, NULL, "unmap: this ArrayBuffer was not made by map()");
    return NULL;
  }
  void *addr = m->addr;
  size_t size = m->size;
  m->addr = NULL; /* the finalizer, whenever it runs, only frees m */
  /* Detach first, so that no JS view can reach the memory once it is unmapped. */
  CHECK(env, napi_detach_arraybuffer(env, argv[0]));
  if (munmap(addr, size) < 0) return throw_errno(env, "munmap", errno);
  return undefined;
}

/* ---- serveFd: a listener on the event loop (uv_poll), as VPP's clib_file listener ---- */

typedef struct {
  uv_poll_t poll;
  int listen_fd;
  int fd;
  char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
  int closed;
} server_t;

static void on_connection(uv_poll_t *handle, int status, int events) {
  (void)events;
  server_t *s = handle->data;
  if (status < 0) return;
  int c = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (c < 0) return; /* EAGAIN, or the client went away: nothing to send to */
  char byte = 0;
  struct iovec io = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &s->fd, sizeof(int));
  (void)sendmsg(c, &msg, MSG_NOSIGNAL); /* a client that left gets nothing; VPP too ignores this */
  close(c);
}

static void on_poll_closed(uv_handle_t *handle) { free(handle->data); }

static void server_stop(server_t *s) {
  if (s->closed) return;
  s->closed = 1;
  uv_poll_stop(&s->poll);
  close(s->listen_fd);
  unlink(s->path);
  uv_close((uv_handle_t *)&s->poll, on_poll_closed);
}

static napi_value server_close(napi_env env, napi_callback_info info) {
  napi_value undefined;
  void *data;
  CHECK(env, napi_get_cb_info(env, info, NULL, NULL, NULL, &data));
  server_stop(data);
  CHECK(env, napi_get_undefined(env, &undefined));
  return undefined;
}

static napi_value serve_fd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out, close_fn;
  struct sockaddr_un addr;
  int fd;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (get_path(env, argv[0], &addr) < 0) return NULL;
  if (napi_get_value_int32(env, argv[1], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "serveFd(path: string, fd: number)");
    return NULL;
  }
  uv_loop_t *loop;
  CHECK(env, napi_get_uv_event_loop(env, &loop));
  int l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (l < 0) return throw_errno(env, "socket", errno);
  if (bind(l, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(l, 16) < 0) {
    int err = errno;
    close(l);
    return throw_errno(env, "bind/listen", err);
  }
  server_t *s = calloc(1, sizeof *s);
  if (!s) {
    close(l);
    unlink(addr.sun_path);
    return throw_errno(env, "serveFd", ENOMEM);
  }
  s->listen_fd = l;
  s->fd = fd;
  memcpy(s->path, addr.sun_path, sizeof s->path);
  s->poll.data = s;
  if (uv_poll_init(loop, &s->poll, l) != 0 || uv_poll_start(&s->poll, UV_READABLE, on_connection) != 0) {
    close(l);
    unlink(s->path);
    free(s);
    napi_throw_error(env, NULL, "serveFd: cannot watch the socket on the event loop");
    return NULL;
  }
  CHECK(env, napi_create_object(env, &out));
  CHECK(env, napi_create_function(env, "close", NAPI_AUTO_LENGTH, server_close, s, &close_fn));
  CHECK(env, napi_set_named_property(env, out, "close", close_fn));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"receiveFd", NULL, receive_fd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"map", NULL, map_fd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unmap", NULL, unmap_buffer, NULL, NULL, NULL, napi_enumerable, NULL},
      {"serveFd", NULL, serve_fd, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
