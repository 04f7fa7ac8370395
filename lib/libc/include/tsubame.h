/* Tsubame's system interface for user programs. Every function returns a
 * value >= 0 on success or a negative errno (tsubame/errno.h); strerror()
 * turns it into words. */
#ifndef TSUBAME_USER_H
#define TSUBAME_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsubame/errno.h"
#include "tsubame/layout.h"
#include "tsubame/syscall.h"

long __syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

extern char **environ;

/* Processes */
_Noreturn void exit(int status);
int spawn(const char *path, char *const argv[], char *const envp[]);
int spawn_with(const char *path, char *const argv[], char *const envp[], uint32_t authority);
/* Full control: authority, and TSB_SPAWN_CONSOLE to give the child pipe
 * fds as its console (console_in/out = -1 keeps the caller's for that side). */
int spawn_opts(const char *path, char *const argv[], char *const envp[], const struct tsb_spawn_opts *o);
int exec(const char *path, char *const argv[], char *const envp[]);
int waitpid(int pid, int *status, int flags);
int getpid(void);
int getppid(void);
int kill(int pid);
int yield(void);
int sleep_ms(uint64_t ms);
uint64_t clock_ns(void);
/* Wall-clock time in ns since 1970-01-01 UTC: 0, or -ENODEV without a clock. */
int clock_realtime(uint64_t *ns);
int proc_list(struct tsb_procinfo *out, int max);
int proc_find(const char *name); /* pid of the live process running that program, or -ESRCH */
int mem_info(struct tsb_meminfo *out);
int shutdown(int status);
/* The kernel log (TSB_KLOG_*): read it, write lines to it ("<N>" prefix:
 * level), set what the console shows (arg is the level) or end the boot. */
long klog(int op, const void *arg, size_t len);

/* Console */
long console_read(char *buf, size_t len, long timeout_ms);
long console_write(const char *buf, size_t len);

/* A service started by init calls this once its start-up work is done;
 * init's boot waits for it (see user/init). Never blocks. */
#define TSB_SERVICE_READY "ready"
void service_ready(void);

/* Pipes and waiting on several handles (and on IPC: fd TSB_POLL_IPC). */
int pipe(int fds[2]);            /* fds[0] reads, fds[1] writes */
int poll(struct tsb_pollfd *fds, size_t n, long timeout_ms); /* -> entries ready, 0 on timeout */

/* Files */
int open(const char *path, int flags);
long read(int fd, void *buf, size_t len);
long write(int fd, const void *buf, size_t len);
int close(int fd);
long seek(int fd, int64_t off, int whence);
int ftruncate(int fd, uint64_t size);
int fstat(int fd, struct tsb_stat *st);
int stat(const char *path, struct tsb_stat *st);
int readdir(int fd, struct tsb_dirent *out);
int mkdir(const char *path);
int rmdir(const char *path);
int unlink(const char *path);
int rename(const char *from, const char *to);
int statfs(const char *path, struct tsb_statfs *st);
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* Memory */
void *sbrk(intptr_t delta);
void *mmap_anon(size_t len, int prot);
int munmap(void *addr, size_t len);

/* IPC (docs/ARCHITECTURE.md, "IPC"). A call is a request that gets
 * exactly one reply: ipc_call sends it and waits for the reply (timeout_ms
 * for both together); ipc_request starts one (TSB_IPC_MAX_CALLS may be
 * open at once) and returns a ticket, ipc_await takes its reply (poll's
 * TSB_POLL_IPC reports it), ipc_cancel gives it up. A server takes calls
 * with ipc_recv (info->kind TSB_IPC_CALL) and answers each with ipc_reply
 * (info->token), which never blocks. Messages (ipc_send) reach only a
 * process that accepts them: a server (ipc_accept(TSB_IPC_ANYONE, ...))
 * or one that named the sender (ipc_accept(pid, TSB_IPC_ACCEPT_MESSAGES));
 * anyone else refuses them with -ECONNREFUSED. */
int ipc_send(int dest, const void *buf, size_t len, long timeout_ms);
long ipc_recv(struct tsb_ipc_info *info, void *buf, size_t len, long timeout_ms); /* info may be NULL */
long ipc_recv_from(int sender, void *buf, size_t len, long timeout_ms); /* its messages only */
long ipc_call(int dest, const void *req, size_t len, void *reply, size_t max, long timeout_ms);
int ipc_request(int dest, const void *req, size_t len, size_t reply_max, long timeout_ms);
long ipc_await(int ticket, void *reply, size_t max, long timeout_ms);
int ipc_cancel(int ticket);
int ipc_reply(uint64_t token, const void *buf, size_t len);
int ipc_accept(int who, unsigned kinds);
int ipc_trace(int on);

/* Raw block devices (needs block authority) */
int block_read(unsigned dev, uint64_t lba, uint32_t count, void *buf);
int block_write(unsigned dev, uint64_t lba, uint32_t count, const void *buf);
int block_flush(unsigned dev);
int block_info(unsigned dev, struct tsb_blockinfo *out);
int fs_register(void);
int fs_info(struct tsb_fsinfo *out);

/* Display and input (needs gui authority: the gui service) */
int gpu_info(struct tsb_gpu_info *out);  /* -ENODEV without a display */
void *gpu_map(void);                     /* the framebuffer, or NULL */
int gpu_flush(int x, int y, int w, int h);
/* Waits up to timeout_ms for input events; -EAGAIN when an IPC message is queued. */
long input_read(struct tsb_input_event *buf, size_t max, long timeout_ms);

/* The network through netd (tsubame/netproto.h). Handles are netd's; every
 * call returns >= 0 or -errno. Calls that wait take a timeout in ms
 * (TSB_FOREVER, TSB_NO_WAIT) and end with -ETIMEDOUT when it passes.
 * tcp_recv returns 0 at the end of the stream. IPv4 addresses are in host
 * byte order. */
int tcp_listen(uint16_t port, int backlog);
/* tcp_listen, retried for up to timeout_ms while netd is not there (at boot,
 * or while init restarts it). */
int tcp_listen_wait(uint16_t port, int backlog, long timeout_ms);
/* True for the errors that say a handle died with the netd that made it
 * (netd was restarted): a server must listen again. */
bool net_handle_lost(long err);
int tcp_accept(int listener, long timeout_ms);
int tcp_connect(uint32_t ip, uint16_t port, long timeout_ms);
long tcp_send(int h, const void *buf, size_t len);   /* all of it, unless an error */
long tcp_recv(int h, void *buf, size_t len, long timeout_ms);
int tcp_close(int h);                                 /* TCP or UDP */
/* One receive at a time may run in the background, for programs that wait
 * on netd and pipes together: start it, wait until tcp_recv_arrived() or an
 * IPC message is queued (poll TSB_POLL_IPC), then finish it. */
int tcp_recv_start(int h, size_t len);
_Bool tcp_recv_arrived(void);
long tcp_recv_finish(void *buf, size_t len, long timeout_ms);
int udp_bind(uint16_t port, uint16_t *bound);         /* port 0: any free one */
long udp_sendto(int h, uint32_t ip, uint16_t port, const void *buf, size_t len);
long udp_recvfrom(int h, void *buf, size_t len, uint32_t *ip, uint16_t *port, long timeout_ms);
int udp_close(int h);
/* An A record, from the configured server (server 0) or server:port. */
int dns_lookup(const char *name, uint32_t server, uint16_t port, uint32_t *ip, long timeout_ms);
int ping(uint32_t ip, uint16_t payload_bytes, long timeout_ms);   /* round trip in ms */
int net_share(int h, int pid);                         /* pid may use h too */
struct netp_info;
int net_info(struct netp_info *out);
int netd_pid(void);
int ip_parse(const char *s, uint32_t *ip);             /* dotted quad: 0 or -EINVAL */
const char *ip_format(uint32_t ip, char out[16]);
int resolve_host(const char *name, uint32_t *ip);     /* a dotted quad, or a DNS lookup */

const char *strerror(int err); /* accepts err or -err */

#endif
