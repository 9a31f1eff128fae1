/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replays fuzz inputs through a fuzz target without libFuzzer, so that
 * make check runs every seed (past crashes among them) with any compiler:
 *
 *	replay-T FILE|DIR...
 *
 * Each input is fed to the target once; a crash or sanitizer report fails
 * the run. Host names are never looked up.
 */
#include "base.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static unsigned replayed;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			data = xrealloc(data, cap);
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		perror(path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	replayed++;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path)
{
	struct stat st;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;
	DIR *d;

	if (stat(path, &st)) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			struct fw_buf b = FW_BUF_INIT;

			fw_buf_addf(&b, "%s/%s", path, e->d_name);
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = b.buf;
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if (replay(names[i]))
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	fw_no_resolver = true;
	for (i = 1; i < argc; i++)
		if (replay(argv[i]))
			rc = 1;
	printf("%s: %u inputs replayed\n", argv[0], replayed);
	return rc;
}
