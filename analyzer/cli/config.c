/*
 * config.c - the configuration file: each line "name value" (or
 * "name = value", or a bare "name" for a switch) stands for the long
 * option --name=value, given before the command line's own options, so
 * the command line wins and every option has one meaning and one parser.
 * '#' starts a comment; blank lines are ignored.
 *
 * Default files: $XDG_CONFIG_HOME/mailtrace/config (else
 * ~/.config/mailtrace/config), then /etc/mailtrace.conf; the first that
 * exists is read.  --config FILE reads FILE instead (it must exist);
 * --no-config reads none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define LINE_MAX_LEN 4096

/* trim - without leading and trailing blanks. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* push - append one argument. */
static int
push(struct cli_config *c, char *arg)
{
	char **nv;

	if ((nv = realloc(c->argv, (size_t)(c->argc + 2) * sizeof(*nv))) ==
	    NULL) {
		free(arg);
		return -1;
	}
	c->argv = nv;
	c->argv[c->argc++] = arg;
	c->argv[c->argc] = NULL;
	return 0;
}

/* cli_config_read - the options of one file, as arguments. */
int
cli_config_read(const char *path, struct cli_config *c, char *err,
    size_t errlen)
{
	char line[LINE_MAX_LEN + 2];
	unsigned n = 0;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *name, *value = NULL, *arg;
		size_t len;

		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line longer than %d "
			    "bytes", path, n, LINE_MAX_LEN);
			goto fail;
		}
		if ((s = strchr(line, '#')) != NULL)
			*s = '\0';
		name = trim(line);
		if (*name == '\0')
			continue;
		len = strcspn(name, " \t=");
		if (name[len] != '\0') {
			value = name + len + 1;
			name[len] = '\0';
			value = trim(value);
			if (*value == '=')
				value = trim(value + 1);
		}
		if (name[0] == '-' || strcmp(name, "config") == 0 ||
		    strcmp(name, "no-config") == 0) {
			snprintf(err, errlen, "%s:%u: '%s': write option names "
			    "without dashes; config and no-config only on the "
			    "command line", path, n, name);
			goto fail;
		}
		if (asprintf(&arg, "--%s%s%s", name, value && *value ? "=" :
		    "", value && *value ? value : "") < 0 ||
		    push(c, arg) != 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		if (c->nlines < CLI_CONFIG_MAX_LINES) {
			c->file[c->nlines] = path;
			c->line[c->nlines++] = n;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	return -1;
}

/* cli_config_default - the first default file that exists, or NULL. */
const char *
cli_config_default(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	FILE *f;

	buf[0] = '\0';
	if (xdg != NULL && *xdg == '/')
		snprintf(buf, len, "%s/mailtrace/config", xdg);
	else if (home != NULL && *home == '/')
		snprintf(buf, len, "%s/.config/mailtrace/config", home);
	if (buf[0] != '\0' && (f = fopen(buf, "r")) != NULL) {
		fclose(f);
		return buf;
	}
	if ((f = fopen("/etc/mailtrace.conf", "r")) != NULL) {
		fclose(f);
		return "/etc/mailtrace.conf";
	}
	return NULL;
}

/* cli_config_free - release the arguments. */
void
cli_config_free(struct cli_config *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	memset(c, 0, sizeof(*c));
}
