/* Splitting a command line into words. The rules are a small, predictable
 * subset of the Bourne shell's:
 *   - words are separated by spaces or tabs;
 *   - "double quotes" keep spaces and special characters in a word; inside
 *     them \" and \\ stand for " and \;
 *   - outside quotes a backslash takes the next character literally;
 *   - > FILE and >> FILE redirect the output (the file word may touch the
 *     operator: >FILE); a trailing & runs the command in the background;
 *   - < | ; are refused with a message rather than half-understood.
 * Every mistake is reported in words and the line is not run. */
#include <stdio.h>
#include <string.h>

#include "shell.h"

static int syntax(const char *why)
{
	printf("syntax error: %s\n", why);
	return -1;
}

static bool ends_word(char c)
{
	return c == ' ' || c == '\t' || c == '&' || c == '>' || c == '<' || c == '|' || c == ';';
}

int parse_line(const char *line, struct command *cmd)
{
	const char *p = line;
	size_t wn = 0;
	bool want_path = false;

	cmd->argc = 0;
	cmd->redir = REDIR_NONE;
	cmd->redir_path = NULL;
	cmd->background = false;
	if (strlen(line) > SH_LINE_MAX)
		return syntax("line too long");
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (cmd->background)
			return syntax("'&' must come last");
		if (*p == '&') {
			if (want_path)
				return syntax("missing file name after '>'");
			cmd->background = true;
			p++;
			continue;
		}
		if (*p == '>') {
			if (want_path)
				return syntax("missing file name after '>'");
			if (cmd->redir != REDIR_NONE)
				return syntax("only one output redirection per command");
			cmd->redir = p[1] == '>' ? REDIR_APPEND : REDIR_TRUNC;
			p += p[1] == '>' ? 2 : 1;
			want_path = true;
			continue;
		}
		if (*p == '<')
			return syntax("input redirection '<' is not supported");
		if (*p == '|')
			return syntax("pipes '|' are not supported");
		if (*p == ';')
			return syntax("';' is not supported: one command per line");

		/* A word, possibly built from quoted and unquoted parts. */
		char *start = cmd->words + wn;
		bool in_quote = false;
		while (*p && (in_quote || !ends_word(*p))) {
			if (*p == '"') {
				in_quote = !in_quote;
				p++;
				continue;
			}
			if (*p == '\\' && p[1] && (!in_quote || p[1] == '"' || p[1] == '\\'))
				p++;
			cmd->words[wn++] = *p++;
		}
		if (in_quote)
			return syntax("unterminated quote");
		cmd->words[wn++] = '\0';
		if (want_path) {
			cmd->redir_path = start;
			want_path = false;
		} else {
			if (cmd->argc == SH_ARGS_MAX)
				return syntax("too many words (at most 48)");
			cmd->argv[cmd->argc++] = start;
		}
	}
	if (want_path)
		return syntax("missing file name after '>'");
	if (cmd->argc == 0 && (cmd->redir != REDIR_NONE || cmd->background))
		return syntax("missing command");
	if (cmd->redir_path && !cmd->redir_path[0])
		return syntax("empty file name after '>'");
	cmd->argv[cmd->argc] = NULL;
	return 0;
}
