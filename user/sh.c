/*
 * sh - a small interactive shell for the serial console.
 *
 * Reads a line from fd 0, splits it into words (white space separates;
 * '...' and "..." quote), and runs `NAME args...` with fork + execve of
 * /bin/NAME (a NAME containing '/' is used as the path), then reports how
 * the program ended: "[exit N]" for a non-zero status, "[killed by signal
 * N (name)]". Builtins: help, ls / programs (the initrd's programs),
 * meminfo, exit [code]. End of input (read returns 0) exits too.
 *
 * Line editing: the kernel's console is expected to echo what is typed;
 * sh itself treats '\r' like '\n' and applies backspace / DEL to the
 * current line, so a raw console works as well.
 */
#include <errno.h>
#include <private.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINE_MAX_ 512
#define ARGS_MAX  32

static int last_status;

/* Read one line into buf (without the newline). Returns 0, or -1 at EOF. */
static int read_line(char *buf, size_t size)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t r = read(0, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (n == 0)
				return -1;
			break;
		}
		if (c == '\n' || c == '\r')
			break;
		if (c == '\b' || c == 0x7f) {
			if (n > 0)
				n--;
			continue;
		}
		if (n < size - 1)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

/* Split line in place into argv; returns argc or -1 on a quoting error. */
static int split(char *line, char **argv, int max)
{
	int argc = 0;
	char *r = line, *w;

	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r)
			break;
		if (argc == max - 1) {
			fprintf(stderr, "sh: too many arguments (max %d)\n",
				max - 1);
			return -1;
		}
		argv[argc++] = w = r;
		while (*r && *r != ' ' && *r != '\t') {
			if (*r == '\'' || *r == '"') {
				char q = *r++;

				while (*r && *r != q)
					*w++ = *r++;
				if (*r != q) {
					fprintf(stderr, "sh: unterminated %c\n",
						q);
					return -1;
				}
				r++;
			} else {
				*w++ = *r++;
			}
		}
		if (*r)
			r++;
		*w = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

static void list_programs(void)
{
	static char buf[4096];
	long n = initrd_list(buf, sizeof(buf));
	long i;
	int col = 0;

	if (n < 0) {
		printf("ls: initrd_list: %s\n", strerror(errno));
		return;
	}
	for (i = 0; i < n; i += (long)strlen(buf + i) + 1) {
		const char *name = buf + i;

		if (!*name)
			continue;
		if (strncmp(name, "bin/", 4) == 0)
			name += 4;
		else if (strncmp(name, "/bin/", 5) == 0)
			name += 5;
		printf("%-16s", name);
		if (++col % 5 == 0)
			putchar('\n');
	}
	if (col % 5)
		putchar('\n');
}

static void show_meminfo(void)
{
	struct meminfo mi;

	if (meminfo(&mi) < 0) {
		printf("meminfo: %s\n", strerror(errno));
		return;
	}
	printf("free %lu of %lu pages (%lu KiB free), %lu tasks\n",
	       mi.free_pages, mi.managed_pages, mi.free_pages * 4, mi.nr_tasks);
}

static void help(void)
{
	printf("POE shell. Type a program name and arguments, e.g. `hello` or `echo hi`.\n"
	       "Programs run as /bin/NAME. Builtins:\n"
	       "  help              this text\n"
	       "  ls, programs      list the programs in the initrd\n"
	       "  meminfo           the kernel's free-page and task counts\n"
	       "  exit [code]       leave the shell (default: the last status)\n");
}

static void run(char **argv)
{
	char path[256];
	int status;
	pid_t pid;

	if (strchr(argv[0], '/'))
		snprintf(path, sizeof(path), "%s", argv[0]);
	else
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	pid = fork();
	if (pid < 0) {
		perror("sh: fork");
		last_status = 1;
		return;
	}
	if (pid == 0) {
		execve(path, argv, environ);
		fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("sh: waitpid");
			last_status = 1;
			return;
		}
	}
	if (WIFSIGNALED(status)) {
		printf("[killed by signal %d (%s)]\n", WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
		last_status = 128 + WTERMSIG(status);
	} else {
		last_status = WEXITSTATUS(status);
		if (last_status)
			printf("[exit %d]\n", last_status);
	}
}

int main(void)
{
	char line[LINE_MAX_];
	char *argv[ARGS_MAX];
	int argc;

	printf("POE shell (pid %d). Type `help` for help.\n", (int)getpid());
	for (;;) {
		printf("$ ");
		fflush(stdout);
		if (read_line(line, sizeof(line)) < 0) {
			printf("\n");
			break;
		}
		argc = split(line, argv, ARGS_MAX);
		if (argc <= 0)
			continue;
		if (strcmp(argv[0], "exit") == 0) {
			return argc > 1 ? atoi(argv[1]) : last_status;
		} else if (strcmp(argv[0], "help") == 0) {
			help();
		} else if (strcmp(argv[0], "ls") == 0 ||
			   strcmp(argv[0], "programs") == 0) {
			list_programs();
		} else if (strcmp(argv[0], "meminfo") == 0) {
			show_meminfo();
		} else {
			run(argv);
		}
	}
	return last_status;
}
