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
     * Move every date forward by whole months so that the data's last month (2017-12) is the
     * current month: the demo then shows this month's forecast and funnel. Default: the data's dates.
     */
    recent: z.boolean().optional(),
  })
  .strict();
export type LoadMavenInput = z.infer<typeof loadMavenInput>;

export const jobParam = z.object({ jobId: z.string().min(1).max(40) });
