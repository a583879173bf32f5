/*
 * The bench's C client: the floor for a big acl_dump. It speaks VPP's socket protocol with no
 * library (handshake, then acl_dump + control_ping under one context), reads every byte and
 * counts rules from each acl_details' count field; it decodes nothing else. It ends with
 * sockclnt_delete, as a well-behaved client does.
 *
 *   acl-dump SOCKET DUMPS   prints "dumps details rules bytes seconds cpu_seconds" for DUMPS
 *                           timed dumps after one untimed warm-up dump (cpu: user + system).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int fd;
static uint8_t *buf;
static size_t cap = 1 << 22, have, pos;

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void die(const char *what) { perror(what); exit(1); }

/* Sends one payload behind its 16-byte frame header. */
static void send_msg(const uint8_t *payload, uint32_t len) {
  uint8_t frame[256] = {0};
  put32(frame + 8, len);
  memcpy(frame + 16, payload, len);
  if (write(fd, frame, 16 + len) != (ssize_t)(16 + len)) die("write");
}

/* The next payload (valid until the next call) and its length; reads as needed. */
static const uint8_t *next_msg(uint32_t *len, uint64_t *bytes) {
  for (;;) {
    if (have - pos >= 16) {
      uint32_t n = be32(buf + pos + 8);
      if (16 + n > cap) { cap = 2 * (16 + n); if (!(buf = realloc(buf, cap))) die("realloc"); }
      if (have - pos >= 16 + n) {
        const uint8_t *p = buf + pos + 16;
        pos += 16 + n;
        *len = n;
        return p;
      }
    }
    memmove(buf, buf + pos, have - pos);
    have -= pos;
    pos = 0;
    ssize_t r = read(fd, buf + have, cap - have);
    if (r <= 0) die("read");
    have += r;
    *bytes += r;
  }
}

/* The id of message NAME (without its CRC) in the handshake's table, or exit. */
static uint16_t id_of(const uint8_t *reply, const char *name) {
  uint16_t count = be16(reply + 18);
  size_t n = strlen(name);
  for (uint16_t i = 0; i < count; i++) {
    const uint8_t *e = reply + 20 + 66 * i;
    const char *s = (const char *)e + 2;
    if (strncmp(s, name, n) == 0 && s[n] == '_' && strchr(s + n + 1, '_') == NULL) return be16(e);
  }
  fprintf(stderr, "acl-dump: VPP has no %s\n", name);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: acl-dump SOCKET DUMPS\n"); return 2; }
  int dumps = atoi(argv[2]);
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  strncpy(sa.sun_path, argv[1], sizeof sa.sun_path - 1);
  if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) die("socket");
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("connect");
  if (!(buf = malloc(cap))) die("malloc");

  uint8_t create[70] = {0};
  put16(create, 15); /* sockclnt_create: id 15, context, name[64] */
  strcpy((char *)create + 6, "c-client");
  send_msg(create, sizeof create);
  uint32_t len;
  uint64_t bytes = 0;
  const uint8_t *reply = next_msg(&len, &bytes);
  if (be16(reply) != 16) { fprintf(stderr, "acl-dump: no sockclnt_create_reply\n"); return 1; }
  uint32_t client = be32(reply + 14);
  uint8_t *table = malloc(len);
  memcpy(table, reply, len);
  uint16_t dump_id = id_of(table, "acl_dump"), details_id = id_of(table, "acl_details");
  uint16_t ping_id = id_of(table, "control_ping"), pong_id = id_of(table, "control_ping_reply");

  uint64_t details = 0, rules = 0;
  struct timespec t0, t1;
  struct rusage u0, u1;
  for (int d = 0; d <= dumps; d++) {
    if (d == 1) { details = rules = bytes = 0; clock_gettime(CLOCK_MONOTONIC, &t0); getrusage(RUSAGE_SELF, &u0); }
    uint32_t context = 100 + d;
    uint8_t dump[14], ping[10];
    put16(dump, dump_id); put32(dump + 2, client); put32(dump + 6, context); put32(dump + 10, 0xffffffff);
    put16(ping, ping_id); put32(ping + 2, client); put32(ping + 6, context);
    send_msg(dump, sizeof dump);
    send_msg(ping, sizeof ping);
    for (;;) {
      const uint8_t *m = next_msg(&len, &bytes);
      uint16_t id = be16(m);
      if (id == details_id && be32(m + 2) == context) { details++; rules += be32(m + 74); }
      else if (id == pong_id && be32(m + 2) == context) break;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  getrusage(RUSAGE_SELF, &u1);
  double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
#define TV(t) ((t).tv_sec + (t).tv_usec / 1e6)
  double cpu = TV(u1.ru_utime) - TV(u0.ru_utime) + TV(u1.ru_stime) - TV(u0.ru_stime);
  printf("%d %llu %llu %llu %.6f %.6f\n", dumps, (unsigned long long)details, (unsigned long long)rules, (unsigned long long)bytes, secs, cpu);
  /* Say goodbye (sockclnt_delete {client_index, context, index}) and wait for VPP to close: a
   * client that just drops the socket costs VPP more. */
  uint8_t bye[14];
  put16(bye, id_of(table, "sockclnt_delete")); put32(bye + 2, client); put32(bye + 6, 1); put32(bye + 10, client);
  send_msg(bye, sizeof bye);
  while (read(fd, buf, cap) > 0) {}
  close(fd);
  return 0;
}
