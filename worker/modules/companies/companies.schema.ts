import { z } from 'zod';
import { pageQuery } from '../../lib/pagination';
import { addressInput, customFieldValues } from '../contacts/contacts.schema';

export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1000+'] as const;

/**
 * The registrable part of a website, for duplicate detection: `https://www.Example.com/about`
 * and `example.com` are the same company. Null when the text is not a web address.
 */
export function domainOf(website: string): string | null {
  const text = website.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : null;
}

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const website = z
  .string()
  .trim()
  .max(300)
  .refine((v) => v === '' || domainOf(v) !== null, { message: 'Enter a web address like example.com.' })
  .nullable()
  .optional();

export const companyFields = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(200),
  industry: optionalText(100),
  size: z.enum(COMPANY_SIZES).nullable().optional(),
  website,
  address: addressInput.optional(),
  phones: z.array(z.string().trim().min(3).max(40)).max(10).optional(),
  ownerId: z.string().max(40).nullable().optional(),
  tagIds: z.array(z.string().max(40)).max(50).optional(),
  customFields: customFieldValues.optional(),
  contractEndsOn: z.iso.date({ message: 'Use a date like 2027-03-31.' }).nullable().optional(),
});

export const createCompanyInput = companyFields.extend({
  /** Create even though a likely duplicate exists. */
  force: z.boolean().optional(),
});
export type CreateCompanyInput = z.infer<typeof createCompanyInput>;

export const updateCompanyInput = companyFields
  .partial()
  .extend({ force: z.boolean().optional() })
  .refine((v) => Object.keys(v).filter((k) => k !== 'force').length > 0, { message: 'Send at least one field to change.' });
export type UpdateCompanyInput = z.infer<typeof updateCompanyInput>;

const csv = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const companyFilters = z.object({
  /** Part of the name or of the domain. */
  q: z.string().trim().max(100).optional(),
  ownerId: z.string().max(40).optional(),
  teamId: z.string().max(40).optional(),
  tagId: csv.optional(),
  industry: csv.optional(),
  size: csv.pipe(z.array(z.enum(COMPANY_SIZES))).optional(),
  archived: z.enum(['true', 'false', 'any']).optional(),
  deleted: z.enum(['true', 'false']).optional(),
});
export type CompanyFilters = z.infer<typeof companyFilters>;

export const COMPANY_SORTS = ['updatedAt', 'createdAt', 'name', 'contractEndsOn'] as const;
export const listCompaniesQuery = pageQuery.extend(companyFilters.shape).extend({
  sort: z.enum([...COMPANY_SORTS, ...COMPANY_SORTS.map((s) => `-${s}` as const)]).default('-updatedAt'),
});
export type ListCompaniesQuery = z.infer<typeof listCompaniesQuery>;

export const companyDuplicatesQuery = z.object({
  name: z.string().trim().max(200).optional(),
  website: z.string().trim().max(300).optional(),
  excludeId: z.string().max(40).optional(),
});
