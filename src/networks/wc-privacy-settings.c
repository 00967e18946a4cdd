/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-privacy"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wc-bluesky.h"
#include "wc-connection.h"
#include "wc-mastodon.h"
#include "wc-privacy-settings.h"

#define MAX_AVATAR_BYTES (2 * 1024 * 1024)

typedef struct
{
  WcAccount          *account;
  WcMastodonSettings  settings;
  char               *privacy;
  gboolean            apply;
  /* Bluesky */
  const char         *bluesky_field;    /* the field to apply, or NULL to read */
  gboolean            restricted;       /* logged_out_restricted to apply */
  WcBlueskyReplyRule  reply_rule;       /* reply_default to apply */
  WcTristate          read_restricted;
  char               *read_reply;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->account);
  g_free (job->privacy);
  g_free (job->read_reply);
  g_free (job);
}

void
wc_privacy_reading_free (WcPrivacyReading *reading)
{
  if (reading == NULL)
    return;
  g_clear_pointer (&reading->state, wc_account_state_free);
  g_clear_pointer (&reading->profile, wc_profile_free);
  g_free (reading->avatar_url);
  g_free (reading);
}

gboolean
wc_privacy_settings_can_read (WcAccount *account)
{
  const char *network = wc_account_get_network (account);

  return g_strcmp0 (network, "mastodon") == 0 || g_strcmp0 (network, "bluesky") == 0;
}

/* --- Bluesky ------------------------------------------------------------ */

/* The walkthrough's values of the reply-default step and the client's rules. */
static const struct
{
  const char         *value;
  WcBlueskyReplyRule  rule;
} reply_values[] = {
  { "everybody", WC_BLUESKY_REPLY_ANYONE },
  { "followers", WC_BLUESKY_REPLY_FOLLOWERS },
  { "following", WC_BLUESKY_REPLY_FOLLOWING },
  { "mentioned", WC_BLUESKY_REPLY_MENTIONED },
  { "nobody", WC_BLUESKY_REPLY_NOBODY },
};

#define REPLY_COMBINATION "combination"

static const char *
reply_value (WcBlueskyReplyRule rule)
{
  for (guint i = 0; i < G_N_ELEMENTS (reply_values); i++)
    if (reply_values[i].rule == rule)
      return reply_values[i].value;
  return REPLY_COMBINATION;
}

static gboolean
reply_rule (const char         *value,
            WcBlueskyReplyRule *rule)
{
  for (guint i = 0; i < G_N_ELEMENTS (reply_values); i++)
    if (g_strcmp0 (reply_values[i].value, value) == 0)
      {
        *rule = reply_values[i].rule;
        return TRUE;
      }
  return FALSE;
}

/* The state as read from the PDS. The reply default has no column: it goes
 * into declared_settings (WC_DECLARED_REPLY_DEFAULT). */
static WcPrivacyReading *
bluesky_reading (WcAccount  *account,
                 WcTristate  restricted,
                 const char *reply)
{
  WcPrivacyReading *reading = g_new0 (WcPrivacyReading, 1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  reading->state = wc_account_state_new (wc_account_get_id (account));
  reading->state->taken_at = g_get_real_time () / G_USEC_PER_SEC;
  reading->state->logged_out_restricted = restricted;
  /* Everything on Bluesky is public and nobody approves followers. */
  reading->state->locked = WC_TRISTATE_NO;
  reading->state->hide_collections = WC_TRISTATE_NO;
  json_builder_begin_object (builder);
  if (reply != NULL)
    {
      json_builder_set_member_name (builder, WC_DECLARED_REPLY_DEFAULT);
      json_builder_add_string_value (builder, reply);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reading->state->declared_settings = json_to_string (root, FALSE);
  reading->profile = wc_profile_new_for_account (account);
  reading->follow_requests = 0;  /* Bluesky has none */
  return reading;
}

static void
on_bluesky_reply_read (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  WcBlueskyReplyRule rule = wc_bluesky_get_reply_default_finish (WC_BLUESKY (source), result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->read_reply = g_strdup (reply_value (rule));
  g_task_return_pointer (task, bluesky_reading (job->account, job->read_restricted, job->read_reply),
                         (GDestroyNotify) wc_privacy_reading_free);
}

static void
on_bluesky_restricted_read (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->read_restricted = wc_bluesky_get_logged_out_restricted_finish (WC_BLUESKY (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  wc_bluesky_get_reply_default_async (WC_BLUESKY (source), g_task_get_cancellable (task),
                                      on_bluesky_reply_read, g_object_ref (task));
}

/* Reads both settings again: the reading after applying is the server's
 * answer, not what was sent. */
static void
bluesky_read (WcBluesky *bluesky,
              GTask     *task)
{
  wc_bluesky_get_logged_out_restricted_async (bluesky, g_task_get_cancellable (task),
                                              on_bluesky_restricted_read, g_object_ref (task));
}

static void
on_bluesky_applied (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (job->bluesky_field, "logged_out_restricted"))
    ok = wc_bluesky_set_logged_out_restricted_finish (WC_BLUESKY (source), result, &error);
  else
    ok = wc_bluesky_set_reply_default_finish (WC_BLUESKY (source), result, &error);
  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  bluesky_read (WC_BLUESKY (source), task);
}

static void
bluesky_start (WcBluesky *bluesky,
               GTask     *task)
{
  Job *job = g_task_get_task_data (task);

  if (!job->apply)
    bluesky_read (bluesky, task);
  else if (g_strcmp0 (job->bluesky_field, "logged_out_restricted") == 0)
    wc_bluesky_set_logged_out_restricted_async (bluesky, job->restricted, g_task_get_cancellable (task),
                                                on_bluesky_applied, g_object_ref (task));
  else if (g_strcmp0 (job->bluesky_field, "reply_default") == 0)
    wc_bluesky_set_reply_default_async (bluesky, job->reply_rule, g_task_get_cancellable (task),
                                        on_bluesky_applied, g_object_ref (task));
  else
    g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                             _("Whitecoat cannot change this setting; change it on the settings page."));
}

static WcPrivacyReading *
reading_from_profile (WcAccount         *account,
                      WcMastodonProfile *profile)
{
  WcPrivacyReading *reading = g_new0 (WcPrivacyReading, 1);

  reading->state = wc_account_state_copy (profile->state);
  reading->state->account_id = wc_account_get_id (account);
  if (reading->state->taken_at == 0)
    reading->state->taken_at = g_get_real_time () / G_USEC_PER_SEC;
  reading->profile = wc_profile_new_for_account (account);
  g_free (reading->profile->note);
  reading->profile->note = g_strdup (profile->note);
  if (profile->display_name != NULL && *profile->display_name != '\0')
    {
      g_free (reading->profile->display_name);
      reading->profile->display_name = g_strdup (profile->display_name);
    }
  for (guint i = 0; profile->fields != NULL && i < profile->fields->len; i++)
    {
      WcMastodonField *field = g_ptr_array_index (profile->fields, i);

      wc_profile_add_field (reading->profile, field->name, field->value, field->verified_at != 0);
    }
  reading->avatar_url = g_strdup (profile->avatar);
  reading->follow_requests = profile->follow_requests_count;
  return reading;
}

static void
on_profile (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcMastodonProfile) profile = NULL;

  if (job->apply)
    profile = wc_mastodon_update_settings_finish (WC_MASTODON (source), result, &error);
  else
    profile = wc_mastodon_verify_credentials_finish (WC_MASTODON (source), result, &error);
  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, reading_from_profile (job->account, profile),
                         (GDestroyNotify) wc_privacy_reading_free);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(WcNetwork) network = wc_connection_open_finish (result, &error);

  if (network == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (WC_IS_BLUESKY (network))
    {
      bluesky_start (WC_BLUESKY (network), task);
      return;
    }
  if (!WC_IS_MASTODON (network))
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                               _("Whitecoat cannot read or change this network’s settings; change them on its settings page."));
      return;
    }
  if (job->apply)
    wc_mastodon_update_settings_async (WC_MASTODON (network), &job->settings, g_task_get_cancellable (task),
                                       on_profile, g_object_ref (task));
  else
    wc_mastodon_verify_credentials_async (WC_MASTODON (network), g_task_get_cancellable (task),
                                          on_profile, g_object_ref (task));
}

/**
 * wc_privacy_settings_read_async:
 * @account: a stored account
 *
 * Reads the account's settings and profile as its server reports them.
 */
void
wc_privacy_settings_read_async (WcAccount           *account,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, wc_privacy_settings_read_async);
  job->account = g_object_ref (account);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  wc_connection_open_async (account, cancellable, on_opened, g_steal_pointer (&task));
}

/**
 * wc_privacy_settings_read_finish:
 *
 * Returns: (transfer full): what the server reports
 */
WcPrivacyReading *
wc_privacy_settings_read_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static WcTristate
on_off (const char *value)
{
  if (g_strcmp0 (value, WC_WALKTHROUGH_ON) == 0)
    return WC_TRISTATE_YES;
  if (g_strcmp0 (value, WC_WALKTHROUGH_OFF) == 0)
    return WC_TRISTATE_NO;
  return WC_TRISTATE_UNKNOWN;
}

/**
 * wc_privacy_settings_apply_async:
 * @step: a step with %WC_WALKTHROUGH_APPLY_API
 * @value: one of the step's values
 *
 * Changes one setting. The caller warns first when
 * wc_walkthrough_step_needs_confirm() says so.
 */
void
wc_privacy_settings_apply_async (WcAccount               *account,
                                 const WcWalkthroughStep *step,
                                 const char              *value,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);
  WcMastodonSettings init = WC_MASTODON_SETTINGS_INIT;
  const char *field = step->apply_field;

  g_task_set_source_tag (task, wc_privacy_settings_apply_async);
  job->account = g_object_ref (account);
  job->apply = TRUE;
  job->settings = init;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  if (step->apply != WC_WALKTHROUGH_APPLY_API || wc_walkthrough_step_lookup_value (step, value) == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                               _("Whitecoat cannot change this setting; change it on the settings page."));
      return;
    }

  if (g_strcmp0 (wc_account_get_network (account), "bluesky") == 0)
    {
      if (g_str_equal (field, "logged_out_restricted") && on_off (value) != WC_TRISTATE_UNKNOWN)
        job->restricted = on_off (value) == WC_TRISTATE_YES;
      else if (!(g_str_equal (field, "reply_default") && reply_rule (value, &job->reply_rule)))
        {
          g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_NOT_SUPPORTED,
                                   _("Whitecoat cannot change this setting; change it on the settings page."));
          return;
        }
      job->bluesky_field = g_str_equal (field, "reply_default") ? "reply_default" : "logged_out_restricted";
    }
  else if (g_str_equal (field, "locked"))
    job->settings.locked = on_off (value);
  else if (g_str_equal (field, "discoverable"))
    job->settings.discoverable = on_off (value);
  else if (g_str_equal (field, "indexable"))
    job->settings.indexable = on_off (value);
  else if (g_str_equal (field, "hide_collections"))
    job->settings.hide_collections = on_off (value);
  else if (g_str_equal (field, "default_visibility"))
    job->settings.privacy = job->privacy = g_strdup (value);

  wc_connection_open_async (account, cancellable, on_opened, g_steal_pointer (&task));
}

/**
 * wc_privacy_settings_apply_finish:
 *
 * Returns: (transfer full): the account as the server now describes it
 */
WcPrivacyReading *
wc_privacy_settings_apply_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Avatars ------------------------------------------------------------ */

static void
hash_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  guint64 *hash = g_new0 (guint64, 1);
  GError *error = NULL;

  if (!wc_image_dhash (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), hash, &error))
    {
      g_free (hash);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, hash, g_free);
}

static void
on_avatar (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (bytes == NULL || msg == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK
      || g_bytes_get_size (bytes) > MAX_AVATAR_BYTES)
    {
      g_debug ("Avatar not read: %s", error ? error->message : "bad status or too large");
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_RETRY_LATER,
                               _("Whitecoat could not download the profile picture."));
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, hash_in_thread);
}

void
wc_privacy_settings_hash_avatar_async (const char          *url,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SoupSession) session = wc_mastodon_default_session ();
  g_autoptr(SoupMessage) msg = NULL;

  g_task_set_source_tag (task, wc_privacy_settings_hash_avatar_async);
  if (url == NULL || !(g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"))
      || (msg = soup_message_new ("GET", url)) == NULL)
    {
      g_task_return_new_error (task, WC_NETWORK_ERROR, WC_NETWORK_ERROR_BAD_RESPONSE,
                               _("The profile picture has no usable address."));
      return;
    }
  /* The session goes with the task: it must outlive the request. */
  g_object_set_data_full (G_OBJECT (task), "session", g_object_ref (session), g_object_unref);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_LOW, cancellable, on_avatar,
                                    g_steal_pointer (&task));
}

gboolean
wc_privacy_settings_hash_avatar_finish (GAsyncResult  *result,
                                        guint64       *hash,
                                        GError       **error)
{
  g_autofree guint64 *value = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;
  *hash = *value;
  return TRUE;
}
