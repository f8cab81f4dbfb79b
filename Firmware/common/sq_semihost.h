/*
 * sq_semihost.h - Arm semihosting for the squeezec firmware (QEMU, M-profile).
 *
 * Every call is a `bkpt 0xab` with the operation number in r0 and a pointer
 * to the argument block (or, for SYS_WRITE0, to the string) in r1; the
 * result comes back in r0. QEMU must run with
 *   -semihosting-config enable=on,target=native[,chardev=ID]
 * otherwise the breakpoint is a debug event that escalates to a HardFault.
 * Host file names are relative to QEMU's current directory.
 */
#ifndef SQ_SEMIHOST_H
#define SQ_SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

#define SQ_SYS_OPEN 0x01
#define SQ_SYS_CLOSE 0x02
#define SQ_SYS_WRITE0 0x04
#define SQ_SYS_WRITE 0x05
#define SQ_SYS_READ 0x06
#define SQ_SYS_EXIT_EXTENDED 0x20

/* ADP_Stopped_ApplicationExit: the reason code SYS_EXIT_EXTENDED reports. */
#define SQ_ADP_APPLICATION_EXIT 0x20026u

/* SYS_OPEN modes (index into the ISO C fopen mode strings). */
#define SQ_OPEN_READ_BINARY 1 /* "rb" */
#define SQ_OPEN_WRITE_BINARY 5 /* "wb" */

/* Raw call: op in r0, arg in r1, returns r0. */
int32_t sq_semihost_call(uint32_t op, const void *arg);

/* Opens a host file; returns a handle >= 0 or -1. */
int32_t sq_sh_open(const char *path, uint32_t mode);
/* Closes a handle; returns 0 or -1. */
int32_t sq_sh_close(int32_t handle);
/* Reads/writes len bytes; return the number of bytes NOT transferred (0 = all). */
uint32_t sq_sh_read(int32_t handle, void *buf, uint32_t len);
uint32_t sq_sh_write(int32_t handle, const void *buf, uint32_t len);
/* Writes a NUL-terminated string to the debug console. */
void sq_sh_write0(const char *text);
/* Ends the simulation; `status` becomes QEMU's exit status. */
void sq_sh_exit(uint32_t status) __attribute__((noreturn));

/*
 * Minimal line formatting (no stdio): each appends to dst, never writes past
 * end - 1, keeps dst NUL-terminated and returns the new end of the text.
 */
char *sq_fmt_str(char *dst, char *end, const char *s);
char *sq_fmt_u64(char *dst, char *end, uint64_t value);
char *sq_fmt_hex32(char *dst, char *end, uint32_t value); /* "0x" + 8 digits */

#endif /* SQ_SEMIHOST_H */
