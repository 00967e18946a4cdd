/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "whitecoat-finding"

#include "config.h"

#include "wc-finding.h"

struct _WcFinding
{
  gatomicrefcount  ref_count;
  char            *id;
  char            *message;
  char            *rule;
  GArray          *spans;  /* WcSpan, sorted by start */
  WcSeverity       severity;
  WcResolutions    resolutions;
  int              attachment;
};

G_DEFINE_BOXED_TYPE (WcFinding, wc_finding, wc_finding_ref, wc_finding_unref)

static const char * const severity_names[] = { "info", "warning", "blocker" };

const char *
wc_severity_to_string (WcSeverity severity)
{
  g_return_val_if_fail ((guint) severity < G_N_ELEMENTS (severity_names), NULL);
  return severity_names[severity];
}

gboolean
wc_severity_from_string (const char *str,
                         WcSeverity *severity)
{
  for (guint i = 0; i < G_N_ELEMENTS (severity_names); i++)
    {
      if (g_strcmp0 (str, severity_names[i]) == 0)
        {
          *severity = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * wc_finding_new:
 * @id: the check's id, such as "phi.date-of-birth"
 * @severity: how serious it is
 * @message: the translated message for the user
 *
 * Returns: (transfer full): a finding about the text (no attachment)
 */
WcFinding *
wc_finding_new (const char *id,
                WcSeverity  severity,
                const char *message)
{
  WcFinding *self = g_new0 (WcFinding, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->id = g_strdup (id);
  self->severity = severity;
  self->message = g_strdup (message);
  self->spans = g_array_new (FALSE, FALSE, sizeof (WcSpan));
  self->attachment = -1;
  return self;
}

WcFinding *
wc_finding_ref (WcFinding *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wc_finding_unref (WcFinding *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->id);
      g_free (self->message);
      g_free (self->rule);
      g_array_unref (self->spans);
      g_free (self);
    }
}

const char *
wc_finding_get_id (const WcFinding *self)
{
  return self->id;
}

WcSeverity
wc_finding_get_severity (const WcFinding *self)
{
  return self->severity;
}

const char *
wc_finding_get_message (const WcFinding *self)
{
  return self->message;
}

/**
 * wc_finding_get_rule:
 *
 * Returns: (nullable): the id of the professional rule, such as "R3"
 */
const char *
wc_finding_get_rule (const WcFinding *self)
{
  return self->rule;
}

void
wc_finding_set_rule (WcFinding  *self,
                     const char *rule)
{
  g_free (self->rule);
  self->rule = g_strdup (rule);
}

WcResolutions
wc_finding_get_resolutions (const WcFinding *self)
{
  return self->resolutions;
}

void
wc_finding_set_resolutions (WcFinding     *self,
                            WcResolutions  resolutions)
{
  self->resolutions = resolutions;
}

/**
 * wc_finding_add_span:
 * @start: first byte of the stretch of text
 * @end: the byte after it
 *
 * Adds a stretch of text the finding concerns; spans stay sorted and an
 * identical span is added only once.
 */
void
wc_finding_add_span (WcFinding *self,
                     gsize      start,
                     gsize      end)
{
  WcSpan span = { start, end };
  guint i;

  g_return_if_fail (start <= end);

  for (i = 0; i < self->spans->len; i++)
    {
      WcSpan *other = &g_array_index (self->spans, WcSpan, i);

      if (other->start == start && other->end == end)
        return;
      if (other->start > start)
        break;
    }
  g_array_insert_val (self->spans, i, span);
}

/**
 * wc_finding_get_spans:
 * @n_spans: (out): the number of spans
 *
 * Returns: (transfer none) (array length=n_spans): the spans, by start
 */
const WcSpan *
wc_finding_get_spans (const WcFinding *self,
                      guint           *n_spans)
{
  *n_spans = self->spans->len;
  return (const WcSpan *) (gpointer) self->spans->data;
}

/**
 * wc_finding_get_attachment:
 *
 * Returns: the index of the image the finding is about, or -1 for the text
 */
int
wc_finding_get_attachment (const WcFinding *self)
{
  return self->attachment;
}

void
wc_finding_set_attachment (WcFinding *self,
                           int        index)
{
  self->attachment = index;
}

/**
 * wc_finding_compare:
 *
 * Orders findings most severe first, then by where they start in the text
 * (findings about images after those about text), then by id.
 *
 * Returns: negative, zero or positive as for qsort()
 */
int
wc_finding_compare (const WcFinding *a,
                    const WcFinding *b)
{
  gsize start_a, start_b;

  if (a->severity != b->severity)
    return a->severity > b->severity ? -1 : 1;
  if (a->attachment != b->attachment)
    return a->attachment < b->attachment ? -1 : 1;

  start_a = a->spans->len ? g_array_index (a->spans, WcSpan, 0).start : G_MAXSIZE;
  start_b = b->spans->len ? g_array_index (b->spans, WcSpan, 0).start : G_MAXSIZE;
  if (start_a != start_b)
    return start_a < start_b ? -1 : 1;
  return g_strcmp0 (a->id, b->id);
}
