/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spawn: run one command and measure it for bench/run.py.
 *
 *   spawn IN OUT ERR COMMAND [ARG]...
 *
 * COMMAND runs with stdin from IN, stdout to OUT, stderr to ERR (files,
 * created or truncated; "-" keeps spawn's own). One line on stdout:
 *
 *   rc wall_ns maxrss_kb utime_us stime_us
 *
 * Wall time runs from fork() to wait4(). Peak RSS comes from wait4() of
 * the child: spawn is small, so the memory the child starts with after
 * fork() (which Linux counts in ru_maxrss) is small too, unlike a fork
 * of python. rc is the exit status, or 128 + the signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void redirect(const char *path, int fd, int flags)
{
	int f;

	if (!strcmp(path, "-"))
		return;
	f = open(path, flags, 0644);
	if (f < 0 || dup2(f, fd) < 0) {
		fprintf(stderr, "spawn: %s: %s\n", path, strerror(errno));
		_exit(126);
	}
	close(f);
}

static uint64_t tv_us(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000u + (uint64_t)tv->tv_usec;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	uint64_t t0, t;
	int status, rc;
	pid_t pid;

	if (argc < 5) {
		fprintf(stderr, "usage: spawn IN OUT ERR COMMAND [ARG]...\n");
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("spawn: fork");
		return 1;
	}
	if (pid == 0) {
		redirect(argv[1], 0, O_RDONLY);
		redirect(argv[2], 1, O_WRONLY | O_CREAT | O_TRUNC);
		redirect(argv[3], 2, O_WRONLY | O_CREAT | O_TRUNC);
		execvp(argv[4], argv + 4);
		fprintf(stderr, "spawn: %s: %s\n", argv[4], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("spawn: wait4");
			return 1;
		}
	t = now_ns() - t0;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("%d %llu %ld %llu %llu\n", rc, (unsigned long long)t,
	       ru.ru_maxrss, (unsigned long long)tv_us(&ru.ru_utime),
	       (unsigned long long)tv_us(&ru.ru_stime));
	return 0;
}
