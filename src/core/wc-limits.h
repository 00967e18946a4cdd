/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long a post is as each network counts it (../shared/NETWORKS.md). */

/* Mastodon's placeholder length for a link when the server does not say. */
#define WC_MASTODON_CHARS_PER_URL 23
#define WC_BLUESKY_MAX_BYTES      3000

/* A server's own limits, where they differ from the network's (a Mastodon
 * server may allow 1,000 characters, or count links differently). Every
 * member may be 0: the network's default then applies. */
typedef struct
{
  guint max_characters;
  guint chars_per_url;
  guint max_media;
  guint description_limit;
} WcServerLimits;

guint wc_limits_mastodon_length (const char *content_warning,
                                 const char *text,
                                 guint       chars_per_url);
guint wc_limits_bluesky_length  (const char *text,
                                 gsize      *bytes);

G_END_DECLS
