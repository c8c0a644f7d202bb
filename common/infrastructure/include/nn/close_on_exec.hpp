/// \file
/// Pipes and sockets that programs started later do not inherit, with POSIX
/// calls only: `pipe2(O_CLOEXEC)` and `SOCK_CLOEXEC` are missing on macOS, so
/// the descriptor is made first and marked with `fcntl(FD_CLOEXEC)` after.
/// (Between the two calls another thread could start a program that inherits
/// it; the server and the tests start programs from one thread only.)
#pragma once

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace nn {

/// Marks \p fd close-on-exec. \return false (errno set) if fcntl fails.
inline bool set_close_on_exec(int fd) {
    const int flags = fcntl(fd, F_GETFD);
    return flags >= 0 && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0;
}

/// pipe() whose two ends are close-on-exec. \return 0, or -1 with errno set
/// (and no descriptor left open), like pipe().
inline int pipe_close_on_exec(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    if (set_close_on_exec(fds[0]) && set_close_on_exec(fds[1])) return 0;
    const int saved = errno;
    close(fds[0]);
    close(fds[1]);
    fds[0] = fds[1] = -1;
    errno = saved;
    return -1;
}

/// socket() that is close-on-exec. \return the descriptor, or -1 with errno set, like socket().
inline int socket_close_on_exec(int domain, int type, int protocol) {
    const int fd = socket(domain, type, protocol);
    if (fd < 0 || set_close_on_exec(fd)) return fd;
    const int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

}  // namespace nn
