/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "wc-account.h"
#include "wc-identity.h"
#include "wc-snapshot.h"

G_BEGIN_DECLS

/* The cross-link audit: what in the profiles of one identity's accounts
 * ties them to the other identity. It compares the profiles of all
 * accounts — texts and fields against the other identity's markers, links
 * to the other identity's accounts and domains (verified rel=me links
 * weigh more), display names, avatars (by a perceptual hash), handle
 * stems on the same network — and the follower snapshots, for personal and
 * professional accounts that follow each other. Each finding says how to
 * fix it. A pure function: the network layer fills the profiles. */

#define WC_IMAGE_HASH_ERROR (wc_image_hash_error_quark ())
GQuark wc_image_hash_error_quark (void);

/* Avatars whose hashes differ in at most this many of 64 bits are taken
 * for the same picture. */
#define WC_AVATAR_HASH_MAX_DISTANCE 6

/* A 64-bit difference hash (dHash) of a JPEG or PNG: the picture in grey,
 * shrunk to 9×8, one bit per horizontal neighbour pair. Re-encoding,
 * resizing and small colour changes leave it (nearly) the same. */
gboolean wc_image_dhash          (const guint8 *data,
                                  gsize         length,
                                  guint64      *hash,
                                  GError      **error);
guint    wc_image_hash_distance  (guint64       a,
                                  guint64       b);

typedef struct
{
  char     *name;
  char     *value;     /* plain text or HTML */
  gboolean  verified;  /* a rel=me link the other page confirms */
} WcProfileField;

/* What an account's profile shows to the world. */
typedef struct
{
  gint64          account_id;
  WcIdentityKind  identity;
  char           *network;
  char           *handle;        /* as stored: "@anna@med.example", "anna.bsky.social" */
  char           *profile_url;   /* nullable */
  char           *display_name;  /* nullable */
  char           *note;          /* nullable; plain text or HTML */
  GPtrArray      *fields;        /* of WcProfileField */
  gboolean        has_avatar_hash;
  guint64         avatar_hash;
} WcProfile;

WcProfile *wc_profile_new_for_account (WcAccount  *account);
void       wc_profile_add_field       (WcProfile  *profile,
                                       const char *name,
                                       const char *value,
                                       gboolean    verified);
void       wc_profile_free            (WcProfile  *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcProfile, wc_profile_free)

typedef enum
{
  WC_CROSSLINK_MENTION,       /* a marker of the other identity in a text */
  WC_CROSSLINK_LINK,          /* a link to the other identity's account or domain */
  WC_CROSSLINK_DISPLAY_NAME,  /* the same display name */
  WC_CROSSLINK_AVATAR,        /* the same picture */
  WC_CROSSLINK_HANDLE_STEM,   /* the same handle on the same network */
  WC_CROSSLINK_FOLLOW,        /* a personal and a professional account follow each other */
} WcCrosslinkKind;

typedef struct
{
  WcCrosslinkKind  kind;
  gint64           account_id;        /* the account to fix */
  gint64           other_account_id;  /* -1 when it is a marker or a domain */
  char            *where;             /* "bio", "field “Website”", "display name" …, translated */
  char            *evidence;          /* the marker, link or name found */
  gboolean         verified;          /* the link is confirmed with rel=me */
  char            *message;           /* translated */
  char            *fix;               /* translated: how to fix it */
} WcCrosslinkFinding;

void wc_crosslink_finding_free (WcCrosslinkFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WcCrosslinkFinding, wc_crosslink_finding_free)

/* Returns: (element-type WcCrosslinkFinding): the findings, verified links
 * and links first. @snapshots (element-type WcFollowerSnapshot) may be NULL. */
GPtrArray *wc_crosslink_audit_run (WcIdentity *personal,
                                   WcIdentity *professional,
                                   GPtrArray  *profiles,
                                   GPtrArray  *snapshots);
/* How many of @findings are on @account_id. */
guint      wc_crosslink_count_for_account (GPtrArray *findings,
                                           gint64     account_id);

G_END_DECLS
