/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "wc-unlock-warning.h"

/**
 * wc_unlock_warning_new:
 * @parent: (nullable): the window the warning belongs to
 * @account: the locked Mastodon account
 * @n_pending: how many follow requests wait, or -1 when unknown
 *
 * A message dialog with the responses %WC_UNLOCK_WARNING_RESPONSE_CANCEL
 * (the default: keep the account locked) and
 * %WC_UNLOCK_WARNING_RESPONSE_UNLOCK.
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
GtkWidget *
wc_unlock_warning_new (GtkWindow *parent,
                       WcAccount *account,
                       gint64     n_pending)
{
  g_autofree char *title = NULL;
  g_autofree char *pending = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (WC_IS_ACCOUNT (account), NULL);

  title = wc_account_dup_title (account);
  if (n_pending > 0)
    pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: %d is a number of people */
                                            "%d person asked to follow and is waiting for your answer.",
                                            "%d people asked to follow and are waiting for your answer.",
                                            (gulong) n_pending),
                               (int) n_pending);

  dialog = adw_message_dialog_new (parent, _("Unlock the Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: the first %s is an account, e.g. "@anna@med.example";
                                   * the second is empty or a sentence about waiting requests */
                                  _("When %s is no longer locked, anyone can follow it without asking, "
                                    "and the server at once accepts every follow request that is still "
                                    "waiting — including people you would have refused. %s "
                                    "Review the requests first if some of them should not see your "
                                    "followers-only posts."),
                                  title, pending != NULL ? pending : "");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    WC_UNLOCK_WARNING_RESPONSE_CANCEL, _("_Keep Locked"),
                                    WC_UNLOCK_WARNING_RESPONSE_UNLOCK, _("_Unlock"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                              WC_UNLOCK_WARNING_RESPONSE_UNLOCK,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), WC_UNLOCK_WARNING_RESPONSE_CANCEL);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), WC_UNLOCK_WARNING_RESPONSE_CANCEL);
  return dialog;
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             GTask            *task)
{
  if (g_object_get_data (G_OBJECT (task), "wc-answered") != NULL)
    return;
  g_object_set_data (G_OBJECT (task), "wc-answered", GINT_TO_POINTER (TRUE));
  g_task_return_boolean (task, g_strcmp0 (response, WC_UNLOCK_WARNING_RESPONSE_UNLOCK) == 0);
}

static void
unref_task (gpointer  data,
            GClosure *closure)
{
  g_object_unref (data);
}

static void
on_cancelled (GCancellable *cancellable,
              GtkWindow    *dialog)
{
  /* Answered already: nothing to close. */
  if (!gtk_widget_get_visible (GTK_WIDGET (dialog)))
    return;
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), WC_UNLOCK_WARNING_RESPONSE_CANCEL);
  gtk_window_destroy (dialog);
}

/**
 * wc_unlock_warning_run_async:
 *
 * Shows the warning of wc_unlock_warning_new() and reports the answer;
 * cancelling @cancellable closes it as "keep locked".
 */
void
wc_unlock_warning_run_async (GtkWindow           *parent,
                             WcAccount           *account,
                             gint64               n_pending,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  GtkWidget *dialog;

  g_return_if_fail (WC_IS_ACCOUNT (account));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wc_unlock_warning_run_async);
  /* Closed by the caller: an answer ("keep locked"), not an error. */
  g_task_set_check_cancellable (task, FALSE);
  dialog = wc_unlock_warning_new (parent, account, n_pending);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), task,
                         unref_task, 0);
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                           g_object_ref (dialog), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
wc_unlock_warning_run_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
