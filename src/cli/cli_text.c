/*
 * cli_text.c - JSON strings and growing documents for the aishare command.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_text.h"

char *json_quote(const char *text)
{
	const unsigned char *c = (const unsigned char *) (text ? text : "");
	char *quoted = malloc(6 * strlen((const char *) c) + 3), *at = quoted;

	if (!quoted)
		return NULL;
	*at++ = '"';
	for (; *c; c++) {
		if (*c == '"' || *c == '\\')
			at += sprintf(at, "\\%c", *c);
		else if (*c < 0x20)
			at += sprintf(at, "\\u%04x", *c);
		else
			*at++ = (char) *c;
	}
	*at++ = '"';
	*at = '\0';
	return quoted;
}

void text_append(char **text, const char *format, ...)
{
	char *piece = NULL, *longer = NULL;
	va_list args;

	if (!*text)
		return;
	va_start(args, format);
	if (vasprintf(&piece, format, args) < 0)
		piece = NULL;
	va_end(args);
	if (!piece || asprintf(&longer, "%s%s", *text, piece) < 0)
		longer = NULL;
	free(piece);
	free(*text);
	*text = longer;
}

void text_append_json(char **text, const char *value)
{
	char *quoted = json_quote(value);

	if (!quoted) {
		free(*text);
		*text = NULL;
		return;
	}
	text_append(text, "%s", quoted);
	free(quoted);
}
