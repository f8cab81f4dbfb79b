/*
 * sq_semihost.c - Arm semihosting calls (bkpt 0xab) and tiny text formatting.
 */
#include "sq_semihost.h"

int32_t sq_semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    /* The host may read or write any memory the argument block points to. */
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

static uint32_t sq_length(const char *s)
{
    uint32_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

int32_t sq_sh_open(const char *path, uint32_t mode)
{
    uint32_t block[3];
    block[0] = (uint32_t)(uintptr_t)path;
    block[1] = mode;
    block[2] = sq_length(path);
    return sq_semihost_call(SQ_SYS_OPEN, block);
}

int32_t sq_sh_close(int32_t handle)
{
    uint32_t block[1];
    block[0] = (uint32_t)handle;
    return sq_semihost_call(SQ_SYS_CLOSE, block);
}

uint32_t sq_sh_read(int32_t handle, void *buf, uint32_t len)
{
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)(uintptr_t)buf;
    block[2] = len;
    return (uint32_t)sq_semihost_call(SQ_SYS_READ, block);
}

uint32_t sq_sh_write(int32_t handle, const void *buf, uint32_t len)
{
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)(uintptr_t)buf;
    block[2] = len;
    return (uint32_t)sq_semihost_call(SQ_SYS_WRITE, block);
}

void sq_sh_write0(const char *text)
{
    (void)sq_semihost_call(SQ_SYS_WRITE0, text);
}

void sq_sh_exit(uint32_t status)
{
    uint32_t block[2];
    block[0] = SQ_ADP_APPLICATION_EXIT;
    block[1] = status;
    for (;;) {
        /* Does not return under QEMU; loop in case a debugger resumes. */
        (void)sq_semihost_call(SQ_SYS_EXIT_EXTENDED, block);
    }
}

char *sq_fmt_str(char *dst, char *end, const char *s)
{
    while (*s != '\0' && dst < end - 1) {
        *dst++ = *s++;
    }
    *dst = '\0';
    return dst;
}

char *sq_fmt_u64(char *dst, char *end, uint64_t value)
{
    char digits[21];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(value % 10u));
        value /= 10u;
    } while (value != 0u);
    while (n > 0 && dst < end - 1) {
        *dst++ = digits[--n];
    }
    *dst = '\0';
    return dst;
}

char *sq_fmt_hex32(char *dst, char *end, uint32_t value)
{
    static const char hex[] = "0123456789abcdef";
    char text[11];
    int i;
    text[0] = '0';
    text[1] = 'x';
    for (i = 0; i < 8; i++) {
        text[2 + i] = hex[(value >> (28 - 4 * i)) & 0xFu];
    }
    text[10] = '\0';
    return sq_fmt_str(dst, end, text);
}
