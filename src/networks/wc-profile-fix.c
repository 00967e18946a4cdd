/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-profile-fix"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "wc-connection.h"
#include "wc-profile-fix.h"
#include "wc-text.h"

typedef struct
{
  WcAccount          *account;
  WcCrosslinkFinding *finding;  /* prepare */
  WcProfileFix       *fix;      /* apply */
  WcStore            *store;
  WcMastodon         *mastodon;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->account);
  g_clear_pointer (&job->finding, wc_crosslink_finding_free);
  g_clear_pointer (&job->fix, wc_profile_fix_free);
  g_clear_object (&job->store);
  g_clear_object (&job->mastodon);
  g_free (job);
}

void
wc_profile_fix_free (WcProfileFix *fix)
{
  if (fix == NULL)
    return;
  g_free (fix->handle);
  g_free (fix->where);
  g_free (fix->evidence);
  g_free (fix->before);
  g_free (fix->after);
  g_strfreev (fix->fields);
  g_free (fix->note);
  g_free (fix);
}

static WcCrosslinkFinding *
finding_copy (const WcCrosslinkFinding *finding)
{
  WcCrosslinkFinding *copy = g_new0 (WcCrosslinkFinding, 1);

  copy->kind = finding->kind;
  copy->account_id = finding->account_id;
  copy->other_account_id = finding->other_account_id;
  copy->where = g_strdup (finding->where);
  copy->evidence = g_strdup (finding->evidence);
  copy->verified = finding->verified;
  copy->message = g_strdup (finding->message);
  copy->fix = g_strdup (finding->fix);
  return copy;
}

static WcProfileFix *
fix_copy (const WcProfileFix *fix)
{
  WcProfileFix *copy = g_new0 (WcProfileFix, 1);

  copy->kind = fix->kind;
  copy->account_id = fix->account_id;
  copy->handle = g_strdup (fix->handle);
  copy->where = g_strdup (fix->where);
  copy->evidence = g_strdup (fix->evidence);
  copy->before = g_strdup (fix->before);
  copy->after = g_strdup (fix->after);
  copy->fields = g_strdupv (fix->fields);
  copy->note = g_strdup (fix->note);
  return copy;
}

/* --- Where a finding lies ----------------------------------------------- */

/* The same words as the audit's, so they match in every language. */
static const char *
bio_where (void)
{
  return _("bio");
}

static char *
field_where (const char *name)
{
  /* Translators: where in a profile, e.g. field “Website” */
  return g_strdup_printf (_("field “%s”"), name);
}

static gboolean
is_field_where (const char *where)
{
  g_autofree char *pattern = field_where ("\x01");
  const char *mark = strchr (pattern, '\x01');
  g_autofree char *prefix = g_strndup (pattern, mark - pattern);

  return where != NULL && g_str_has_prefix (where, prefix) && g_str_has_suffix (where, mark + 1)
         && strlen (where) > strlen (pattern) - 1;
}

/**
 * wc_profile_fix_can_fix:
 *
 * Returns: whether @finding lies in a field or the bio of @account, a
 *   connected Mastodon account, where update_credentials can remove it
 */
gboolean
wc_profile_fix_can_fix (WcAccount                *account,
                        const WcCrosslinkFinding *finding)
{
  g_return_val_if_fail (WC_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (finding != NULL, FALSE);

  if (g_strcmp0 (wc_account_get_network (account), "mastodon") != 0 || !wc_account_is_connected (account)
      || wc_account_get_id (account) != finding->account_id)
    return FALSE;
  if (finding->kind != WC_CROSSLINK_MENTION && finding->kind != WC_CROSSLINK_LINK)
    return FALSE;
  return g_strcmp0 (finding->where, bio_where ()) == 0 || is_field_where (finding->where);
}

/**
 * wc_profile_fix_dup_settings_url:
 *
 * Returns: (transfer full) (nullable): the page on which to fix @finding
 */
char *
wc_profile_fix_dup_settings_url (WcAccount                *account,
                                 const WcCrosslinkFinding *finding)
{
  const char *network = wc_account_get_network (account);
  g_autofree char *base = NULL;

  if (g_strcmp0 (network, "bluesky") == 0)
    return g_strdup (finding->kind == WC_CROSSLINK_FOLLOW ? "https://bsky.app/profile/me/followers"
                                                          : "https://bsky.app/settings");
  if (g_strcmp0 (network, "mastodon") != 0
      || (base = wc_mastodon_dup_base_url (wc_account_get_server (account))) == NULL)
    return NULL;
  if (finding->kind == WC_CROSSLINK_FOLLOW)
    return g_strconcat (base, "/relationships", NULL);
  return g_strconcat (base, "/settings/profile", NULL);
}

/* --- The audit's input --------------------------------------------------- */

/**
 * wc_profile_from_mastodon:
 *
 * Returns: (transfer full): the profile for the cross-link audit
 */
WcProfile *
wc_profile_from_mastodon (WcAccount               *account,
                          const WcMastodonProfile *profile)
{
  WcProfile *out = wc_profile_new_for_account (account);

  if (profile->display_name != NULL && *profile->display_name != '\0')
    {
      g_free (out->display_name);
      out->display_name = g_strdup (profile->display_name);
    }
  /* The bio as written: links and mentions stay whole, where the rendered
   * bio shows a mention without its server. */
  out->note = g_strdup (profile->note_is_source || profile->note_html == NULL ? profile->note
                                                                               : profile->note_html);
  for (guint i = 0; profile->fields != NULL && i < profile->fields->len; i++)
    {
      WcMastodonField *field = g_ptr_array_index (profile->fields, i);

      wc_profile_add_field (out, field->name, field->value, field->verified_at != 0);
    }
  return out;
}

/* --- Planning ------------------------------------------------------------ */

/* "https://www.Anna.nl/over/" → "anna.nl/over", as the audit compares. */
static char *
normalize_url (const char *url)
{
  g_autofree char *lower = g_ascii_strdown (url, -1);
  const char *p = lower;
  gsize length;

  if (g_str_has_prefix (p, "https://"))
    p += strlen ("https://");
  else if (g_str_has_prefix (p, "http://"))
    p += strlen ("http://");
  if (g_str_has_prefix (p, "www."))
    p += strlen ("www.");
  length = strlen (p);
  while (length > 0 && (p[length - 1] == '/' || p[length - 1] == '.' || p[length - 1] == ','))
    length--;
  return g_strndup (p, length);
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const WcSpan *sa = a, *sb = b;

  return sa->start < sb->start ? -1 : (sa->start > sb->start ? 1 : 0);
}

static void
add_span (GArray *spans,
          gsize   start,
          gsize   end)
{
  WcSpan span = { 0 };

  span.start = start;
  span.end = end;
  g_array_append_val (spans, span);
}

/* Every case-insensitive occurrence of @needle in @text. */
static void
find_literal (const char *text,
              const char *needle,
              GArray     *spans)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  g_autofree char *lower_needle = g_utf8_strdown (needle, -1);
  gsize length = strlen (lower_needle);

  /* Lower-casing can change lengths; then only exact matches are safe. */
  if (strlen (lower) != strlen (text))
    {
      g_free (lower);
      lower = g_strdup (text);
    }
  if (length == 0)
    return;
  for (const char *hit = strstr (lower, lower_needle); hit != NULL; hit = strstr (hit + length, lower_needle))
    add_span (spans, hit - lower, hit - lower + length);
}

/* Where @finding's evidence stands in the bio @text. */
static void
find_evidence (const WcCrosslinkFinding *finding,
               const char               *text,
               GArray                   *spans)
{
  if (finding->kind == WC_CROSSLINK_MENTION)
    {
      g_autoptr(WcFoldedText) folded = wc_folded_text_new (text);
      g_autofree char *needle = wc_text_fold (finding->evidence);

      if (needle != NULL && *needle != '\0')
        wc_folded_text_find_words (folded, needle, spans);
      return;
    }

  /* A link: written-out addresses that come to the same, … */
  {
    g_autoptr(GRegex) regex = g_regex_new ("(?:https?://|www\\.)[^\\s<>\"']+", G_REGEX_CASELESS, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    g_autofree char *evidence = normalize_url (finding->evidence);

    g_regex_match (regex, text, 0, &match);
    while (g_match_info_matches (match))
      {
        g_autofree char *url = g_match_info_fetch (match, 0);
        g_autofree char *normal = normalize_url (url);
        int start, end;

        if (g_str_equal (normal, evidence) && g_match_info_fetch_pos (match, 0, &start, &end))
          add_span (spans, start, end);
        g_match_info_next (match, NULL);
      }
  }
  /* … a handle written out ("@anna@med.example"), … */
  if (finding->evidence[0] == '@' || strchr (finding->evidence, '/') == NULL)
    {
      const char *handle = finding->evidence[0] == '@' ? finding->evidence : NULL;

      if (handle != NULL && strchr (handle + 1, '@') != NULL)
        find_literal (text, handle, spans);
    }
  /* … or a profile address as a mention ("med.example/@anna"). */
  else
    {
      g_autofree char *evidence = normalize_url (finding->evidence);
      const char *slash = strstr (evidence, "/@");

      if (slash != NULL && strchr (slash + 2, '/') == NULL)
        {
          g_autofree char *host = g_strndup (evidence, slash - evidence);
          g_autofree char *mention = g_strdup_printf ("@%s@%s", slash + 2, host);

          find_literal (text, mention, spans);
        }
    }
}

/* The text without @spans, with the white space and punctuation they leave
 * behind tidied: "See  , more" → "See, more". */
static char *
remove_spans (const char *text,
              GArray     *spans)
{
  g_autoptr(GString) cut = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  gsize at = 0;

  g_array_sort (spans, compare_spans);
  for (guint i = 0; i < spans->len; i++)
    {
      WcSpan span = g_array_index (spans, WcSpan, i);

      if (span.start < at)
        span.start = at;
      if (span.end <= span.start)
        continue;
      g_string_append_len (cut, text + at, span.start - at);
      at = span.end;
    }
  g_string_append (cut, text + at);

  lines = g_strsplit (cut->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (const char *p = lines[i]; *p != '\0'; p++)
        {
          if ((*p == ' ' || *p == '\t') && (line->len == 0 || line->str[line->len - 1] == ' '))
            continue;
          if (strchr (",.;:!?)", *p) != NULL && line->len > 0 && line->str[line->len - 1] == ' ')
            g_string_truncate (line, line->len - 1);
          if (*p == ')' && line->len > 0 && line->str[line->len - 1] == '(')
            {
              g_string_truncate (line, line->len - 1);
              continue;
            }
          g_string_append_c (line, *p == '\t' ? ' ' : *p);
        }
      g_strchomp (line->str);
      line->len = strlen (line->str);
      /* A line that held only what was removed goes with it. */
      if (line->len == 0 && *lines[i] != '\0')
        continue;
      if (line->len == 0 && out->len >= 2 && g_str_has_suffix (out->str, "\n\n"))
        continue;
      g_string_append (out, line->str);
      g_string_append_c (out, '\n');
    }
  g_strstrip (out->str);
  return g_strdup (out->str);
}

static char *
field_plain_value (const WcMastodonProfile *profile,
                   guint                    index)
{
  WcMastodonField *field = g_ptr_array_index (profile->fields, index);

  if (profile->source_fields != NULL && profile->source_fields->len == profile->fields->len)
    {
      WcMastodonField *source = g_ptr_array_index (profile->source_fields, index);

      return g_strdup (source->value);
    }
  return wc_mastodon_normalize_text (field->value, TRUE);
}

static void
append_field_line (GString    *text,
                   const char *name,
                   const char *value)
{
  if (text->len > 0)
    g_string_append_c (text, '\n');
  /* Translators: a profile field as shown before it is sent: 1: its name, 2: its value */
  g_string_append_printf (text, _("%s: %s"), name, value);
}

static WcProfileFix *
plan_field (const WcCrosslinkFinding *finding,
            const WcMastodonProfile  *profile,
            GError                  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  g_autofree char *evidence = wc_text_fold (finding->evidence);
  WcProfileFix *fix;
  int chosen = -1;

  /* The field the finding names; of two with the same name, the one that
   * holds the evidence. */
  for (guint i = 0; profile->fields != NULL && i < profile->fields->len; i++)
    {
      WcMastodonField *field = g_ptr_array_index (profile->fields, i);
      g_autofree char *where = field_where (field->name);
      g_autofree char *value = field_plain_value (profile, i);
      g_autofree char *both = g_strconcat (field->name, " ", value, " ", field->value, NULL);
      g_autofree char *folded = wc_text_fold (both);

      if (!g_str_equal (where, finding->where))
        continue;
      if (chosen < 0 || (evidence != NULL && strstr (folded, evidence) != NULL))
        chosen = i;
      if (evidence != NULL && strstr (folded, evidence) != NULL)
        break;
    }
  if (chosen < 0)
    {
      g_set_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND,
                   /* Translators: %s is where in a profile, e.g. field “Website” */
                   _("The profile no longer has the %s: it was changed since the check."), finding->where);
      return NULL;
    }

  for (guint i = 0; i < profile->fields->len; i++)
    {
      WcMastodonField *field = g_ptr_array_index (profile->fields, i);
      g_autofree char *value = field_plain_value (profile, i);

      append_field_line (before, field->name, value);
      if ((int) i == chosen)
        continue;
      append_field_line (after, field->name, value);
      g_strv_builder_add (builder, field->name);
      g_strv_builder_add (builder, value);
    }

  fix = g_new0 (WcProfileFix, 1);
  fix->kind = WC_PROFILE_FIX_REMOVE_FIELD;
  fix->where = g_strdup (finding->where);
  fix->evidence = g_strdup (finding->evidence);
  fix->before = g_string_free (g_steal_pointer (&before), FALSE);
  fix->after = g_string_free (g_steal_pointer (&after), FALSE);
  fix->fields = g_strv_builder_end (builder);
  return fix;
}

static WcProfileFix *
plan_bio (const WcCrosslinkFinding *finding,
          const WcMastodonProfile  *profile,
          GError                  **error)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  WcProfileFix *fix;

  /* Only the bio as written can be sent back: the rendered one would come
   * back as literal HTML. */
  if (!profile->note_is_source)
    {
      g_set_error_literal (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                           _("This server does not tell Whitecoat the bio as you wrote it, so Whitecoat cannot "
                             "change it safely. Change it on the server’s profile page."));
      return NULL;
    }
  if (profile->note != NULL)
    find_evidence (finding, profile->note, spans);
  if (spans->len == 0)
    {
      g_set_error (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_FOUND,
                   /* Translators: %s is a word, a link or an account found in the bio */
                   _("The bio no longer contains “%s”: it was changed since the check."), finding->evidence);
      return NULL;
    }

  fix = g_new0 (WcProfileFix, 1);
  fix->kind = WC_PROFILE_FIX_EDIT_BIO;
  fix->where = g_strdup (finding->where);
  fix->evidence = g_strdup (finding->evidence);
  fix->before = g_strdup (profile->note);
  fix->note = remove_spans (profile->note, spans);
  fix->after = g_strdup (fix->note);
  return fix;
}

/**
 * wc_profile_fix_plan:
 * @handle: the account, for the user
 *
 * Returns: (transfer full) (nullable): what will be sent
 */
WcProfileFix *
wc_profile_fix_plan (const WcCrosslinkFinding *finding,
                     const WcMastodonProfile  *profile,
                     const char               *handle,
                     GError                  **error)
{
  WcProfileFix *fix;
  int where_kind = 0;  /* 0: not in a text the API changes, 1: the bio, 2: a field */

  g_return_val_if_fail (finding != NULL && profile != NULL, NULL);

  if (finding->kind != WC_CROSSLINK_MENTION && finding->kind != WC_CROSSLINK_LINK)
    where_kind = 0;
  else if (g_strcmp0 (finding->where, bio_where ()) == 0)
    where_kind = 1;
  else if (is_field_where (finding->where))
    where_kind = 2;
  if (where_kind == 0)
    {
      g_set_error_literal (error, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                           _("Whitecoat cannot change this part of the profile; change it on the settings page."));
      return NULL;
    }
  fix = where_kind == 1 ? plan_bio (finding, profile, error) : plan_field (finding, profile, error);
  if (fix != NULL)
    {
      fix->account_id = finding->account_id;
      fix->handle = g_strdup (handle);
    }
  return fix;
}

/* --- Talking to the server ---------------------------------------------- */

static void
on_prepare_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = wc_mastodon_verify_credentials_finish (WC_MASTODON (source), result,
                                                                                &error);
  WcProfileFix *fix;

  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fix = wc_profile_fix_plan (job->finding, profile, profile->handle, &error);
  if (fix == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, fix, (GDestroyNotify) wc_profile_fix_free);
}

static void on_apply_updated (GObject *source, GAsyncResult *result, gpointer user_data);
static void on_read_back     (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = wc_connection_open_finish (result, &error);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (network == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!WC_IS_MASTODON (network))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                               _("Whitecoat cannot change this network’s profile; change it on its settings page."));
      return;
    }
  job->mastodon = WC_MASTODON (g_steal_pointer (&network));

  if (g_task_get_source_tag (task) == wc_profile_fix_prepare_async)
    wc_mastodon_verify_credentials_async (job->mastodon, cancellable, on_prepare_read, g_steal_pointer (&task));
  else if (g_task_get_source_tag (task) == wc_profile_fix_apply_async)
    {
      WcMastodonProfileUpdate update = { FALSE, NULL, NULL };

      if (job->fix->kind == WC_PROFILE_FIX_REMOVE_FIELD)
        {
          update.set_fields = TRUE;
          update.fields = (const char * const *) job->fix->fields;
        }
      else
        update.note = job->fix->note;
      wc_mastodon_update_profile_async (job->mastodon, &update, cancellable, on_apply_updated,
                                        g_steal_pointer (&task));
    }
  else
    wc_mastodon_verify_credentials_async (job->mastodon, cancellable, on_read_back, g_steal_pointer (&task));
}

static void
write_audit (Job *job)
{
  WcAuditEntry entry = { 0 };
  g_autofree char *summary = NULL;
  g_autoptr(GError) error = NULL;

  if (job->store == NULL)
    return;
  if (job->fix->kind == WC_PROFILE_FIX_REMOVE_FIELD)
    /* Translators: the audit log. 1: where in the profile (field “Website”), 2: an account */
    summary = g_strdup_printf (_("Removed the %s from the profile of %s: it linked your other identity."),
                               job->fix->where, job->fix->handle ? job->fix->handle : "");
  else
    /* Translators: the audit log. 1: a word, link or account, 2: an account */
    summary = g_strdup_printf (_("Removed “%s” from the bio of %s: it linked your other identity."),
                               job->fix->evidence, job->fix->handle ? job->fix->handle : "");
  entry.at = g_get_real_time () / G_USEC_PER_SEC;
  entry.has_identity = TRUE;
  entry.identity = wc_account_get_identity (job->account);
  entry.account_id = wc_account_get_id (job->account);
  entry.kind = (char *) "profile";
  entry.summary = summary;
  if (!wc_store_append_audit (job->store, &entry, &error))
    g_warning ("The profile change was not written to the audit log: %s", error->message);
}

static void
on_read_back (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = wc_mastodon_verify_credentials_finish (WC_MASTODON (source), result,
                                                                                &error);

  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, wc_profile_from_mastodon (job->account, profile), (GDestroyNotify) wc_profile_free);
}

static void
on_apply_updated (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) answer = wc_mastodon_update_profile_finish (WC_MASTODON (source), result, &error);
  GCancellable *cancellable;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Sent and accepted: that is what the log records, even if reading
   * back fails afterwards. */
  write_audit (job);
  cancellable = g_task_get_cancellable (task);
  wc_mastodon_verify_credentials_async (job->mastodon, cancellable, on_read_back, g_steal_pointer (&task));
}

static GTask *
start (WcAccount           *account,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, source_tag);
  job->account = g_object_ref (account);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  return task;
}

/**
 * wc_profile_fix_prepare_async:
 *
 * Reads the account's profile and plans the fix for @finding. Nothing is
 * changed.
 */
void
wc_profile_fix_prepare_async (WcAccount                *account,
                              const WcCrosslinkFinding *finding,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_autoptr(GTask) task = start (account, wc_profile_fix_prepare_async, cancellable, callback, user_data);
  Job *job = g_task_get_task_data (task);

  job->finding = finding_copy (finding);
  if (!wc_profile_fix_can_fix (account, finding))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                               _("Whitecoat cannot change this part of the profile; change it on the settings page."));
      return;
    }
  wc_connection_open_async (account, cancellable, on_opened, g_steal_pointer (&task));
}

/**
 * wc_profile_fix_prepare_finish:
 *
 * Returns: (transfer full): what will be sent
 */
WcProfileFix *
wc_profile_fix_prepare_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_profile_fix_apply_async:
 * @fix: from wc_profile_fix_prepare_finish(), confirmed by the user
 * @store: (nullable): where the audit log is
 *
 * Sends @fix with update_credentials, logs it, and reads the profile back.
 */
void
wc_profile_fix_apply_async (WcAccount           *account,
                            const WcProfileFix  *fix,
                            WcStore             *store,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = start (account, wc_profile_fix_apply_async, cancellable, callback, user_data);
  Job *job = g_task_get_task_data (task);

  g_return_if_fail (fix != NULL);
  job->fix = fix_copy (fix);
  job->store = store != NULL ? g_object_ref (store) : NULL;
  if (fix->account_id != wc_account_get_id (account))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_REJECTED,
                               _("This change is meant for another account."));
      return;
    }
  wc_connection_open_async (account, cancellable, on_opened, g_steal_pointer (&task));
}

/**
 * wc_profile_fix_apply_finish:
 *
 * Returns: (transfer full): the profile as read back after the change
 */
WcProfile *
wc_profile_fix_apply_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * wc_profile_fix_read_async:
 *
 * Reads a connected Mastodon account's profile for the audit.
 */
void
wc_profile_fix_read_async (WcAccount           *account,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = start (account, wc_profile_fix_read_async, cancellable, callback, user_data);

  wc_connection_open_async (account, cancellable, on_opened, g_steal_pointer (&task));
}

/**
 * wc_profile_fix_read_finish:
 *
 * Returns: (transfer full): the profile, bio included
 */
WcProfile *
wc_profile_fix_read_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
