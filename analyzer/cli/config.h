/*
 * config.h - the configuration file, read as long options (config.c).
 */
#ifndef MT_CLI_CONFIG_H
#define MT_CLI_CONFIG_H

#include <stddef.h>

#define CLI_CONFIG_MAX_LINES 256

struct cli_config {
	char		**argv;		/* "--name=value" ..., NULL-terminated */
	int		  argc;
	/* where each argument came from, for error messages */
	const char	 *file[CLI_CONFIG_MAX_LINES];
	unsigned	  line[CLI_CONFIG_MAX_LINES];
	int		  nlines;
};

/* cli_config_read - append the options of path to c; -1 with err
 * ("path:line: reason") on an unreadable file or a bad line. */
int		 cli_config_read(const char *path, struct cli_config *c,
		    char *err, size_t errlen);
/* cli_config_default - the first default config file that exists (in
 * buf or a static string), or NULL. */
const char	*cli_config_default(char *buf, size_t len);
void		 cli_config_free(struct cli_config *c);

#endif
