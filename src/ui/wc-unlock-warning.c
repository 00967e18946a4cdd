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

/* One warning being shown. The dialog's "response" handler and the
 * handler on the caller's cancellable each hold the Run; neither holds the
 * dialog, and the cancellable's handler is given back as soon as there is an
 * answer, so that a long-lived cancellable keeps nothing alive. */
typedef struct
{
  GTask        *task;
  GCancellable *cancellable;
  gulong        cancelled_id;
  GtkWidget    *dialog;      /* weak */
  gboolean      answered;
} Run;

static void
run_clear (Run *run)
{
  g_clear_object (&run->task);
  g_clear_object (&run->cancellable);
  if (run->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (run->dialog), (gpointer *) &run->dialog);
  run->dialog = NULL;
}

static void
run_release (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) run_clear);
}

static gboolean
disconnect_later (gpointer data)
{
  Run *run = data;

  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  run->cancelled_id = 0;
  return G_SOURCE_REMOVE;
}

/* Gives the handler on the cancellable back. From inside that handler,
 * g_cancellable_disconnect() would wait for the handler to end: then it is
 * done once it has. */
static void
disconnect_cancellable (Run *run)
{
  if (run->cancelled_id == 0)
    return;
  if (g_cancellable_is_cancelled (run->cancellable))
    g_idle_add_full (G_PRIORITY_DEFAULT, disconnect_later, g_rc_box_acquire (run), run_release);
  else
    {
      g_cancellable_disconnect (run->cancellable, run->cancelled_id);
      run->cancelled_id = 0;
    }
}

static void
answer (Run      *run,
        gboolean  unlock)
{
  if (run->answered)
    return;
  run->answered = TRUE;
  disconnect_cancellable (run);
  g_task_return_boolean (run->task, unlock);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Run              *run)
{
  answer (run, g_strcmp0 (response, WC_UNLOCK_WARNING_RESPONSE_UNLOCK) == 0);
}

/* The dialog is gone: without an answer (its parent was destroyed), that
 * is "keep locked" too. */
static void
on_response_handler_gone (gpointer  data,
                          GClosure *closure)
{
  Run *run = data;

  answer (run, FALSE);
  run_release (run);
}

static void
on_cancelled (GCancellable *cancellable,
              Run          *run)
{
  GtkWidget *dialog = run->dialog;

  if (run->answered || dialog == NULL)
    return;
  g_object_ref (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), WC_UNLOCK_WARNING_RESPONSE_CANCEL);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
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
  Run *run;

  g_return_if_fail (WC_IS_ACCOUNT (account));

  run = g_rc_box_new0 (Run);
  run->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (run->task, wc_unlock_warning_run_async);
  /* Closed by the caller: an answer ("keep locked"), not an error. */
  g_task_set_check_cancellable (run->task, FALSE);
  run->dialog = wc_unlock_warning_new (parent, account, n_pending);
  g_object_add_weak_pointer (G_OBJECT (run->dialog), (gpointer *) &run->dialog);
  g_signal_connect_data (run->dialog, "response", G_CALLBACK (on_response), g_rc_box_acquire (run),
                         on_response_handler_gone, 0);
  gtk_window_present (GTK_WINDOW (run->dialog));
  if (cancellable != NULL)
    {
      run->cancellable = g_object_ref (cancellable);
      /* Already cancelled: the handler runs at once and 0 comes back. */
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                 g_rc_box_acquire (run), run_release);
    }
  run_release (run);
}

gboolean
wc_unlock_warning_run_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
