import { z } from 'zod';

// The whole body is capped at 1 MB by the API (the Maven files are ~640 KB together).
const csvText = z.string().min(1, { message: 'The file is empty.' });

export const loadMavenInput = z
  .object({
    /** The four CSV texts; omitted → the copies bundled with the app (static assets). */
    files: z
      .object({ accounts: csvText, products: csvText, sales_teams: csvText, sales_pipeline: csvText })
      .strict()
      .optional(),
    /**
     * Move every date forward by whole months so that the data (which ends 2017-12-31) ends this
     * month or, if that would put its last days after today, last month: the demo then shows a
     * current forecast and funnel. Default: the data's own dates.
     */
    recent: z.boolean().optional(),
  })
  .strict();
export type LoadMavenInput = z.infer<typeof loadMavenInput>;

export const jobParam = z.object({ jobId: z.string().min(1).max(40) });
