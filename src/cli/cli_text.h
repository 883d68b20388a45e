/*
 * cli_text.h - the text the aishare command builds: JSON strings and growing
 * documents.
 *
 * Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
 */
#ifndef AISHARE_CLI_TEXT_H
#define AISHARE_CLI_TEXT_H

/* TEXT (NULL: "") as a JSON string with its quotes, controls escaped; malloc()ed, or NULL. */
char *json_quote(const char *text);

/*
 * Appends printf(FORMAT, ...) to *TEXT, a malloc()ed string replaced by a longer
 * one.  Out of memory leaves *TEXT NULL, and appending to NULL keeps it NULL, so a
 * caller starts from strdup("") and checks once, at the end.
 */
void text_append(char **text, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* VALUE (NULL: "") appended to *TEXT as a JSON string, as text_append() does. */
void text_append_json(char **text, const char *value);

#endif
