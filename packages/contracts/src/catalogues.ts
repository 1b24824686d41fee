import { z } from 'zod';
import { msg } from './i18n.ts';

export const CATEGORY_CODES = ['theory', 'culture', 'education', 'health', 'science', 'legal', 'environment', 'poverty'] as const;
export type BuiltinCategory = (typeof CATEGORY_CODES)[number];

export interface CategoryDto {
  code: string;
  name: string;
}

export const RESOURCE_CATEGORIES = ['venue', 'base', 'facility', 'talent', 'equipment'] as const;
export type ResourceCategory = (typeof RESOURCE_CATEGORIES)[number];

export interface ResourceTypeDto {
  code: string;
  name: string;
  category: ResourceCategory;
}

/** A category as the console manages it (issue 18: custom "+N" categories without SQL). */
export interface CategoryAdminDto {
  code: string;
  name: string;
  nameEn: string;
  builtin: boolean;
  sort: number;
  /** The category's own triage cues (智能研判 learns a new category from them and from corrections). */
  keywords: string[];
}

const ZCategoryName = z
  .string()
  .trim()
  .min(1, { message: msg('名称不能为空', 'The name must not be empty') })
  .max(20, { message: msg('名称最多20个字', 'The name may have at most 20 characters') });
const ZCategoryKeywords = z
  .array(
    z
      .string()
      .trim()
      .min(1, { message: msg('关键词不能为空', 'A keyword must not be empty') })
      .max(20, { message: msg('关键词最多20个字', 'A keyword has at most 20 characters') }),
  )
  .max(100, { message: msg('关键词最多100个', 'At most 100 keywords') });

export const ZCreateCategoryBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,39}$/, { message: msg('代码须为小写字母开头的字母、数字或下划线（2–40位）', 'A code is 2–40 lower-case letters, digits or _') }),
  name: ZCategoryName,
  nameEn: z.string().trim().min(1).max(60).optional(),
  sort: z.number().int().min(1).max(999).optional(),
  keywords: ZCategoryKeywords.optional(),
});
export type TCreateCategoryBody = z.infer<typeof ZCreateCategoryBody>;

/** What to change; an empty body changes nothing and answers the category as it is. */
export const ZUpdateCategoryBody = z.object({
  name: ZCategoryName.optional(),
  nameEn: z.string().trim().min(1).max(60).optional(),
  sort: z.number().int().min(1).max(999).optional(),
  keywords: ZCategoryKeywords.optional(),
});
export type TUpdateCategoryBody = z.infer<typeof ZUpdateCategoryBody>;

export const ZCategoryParams = z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/) });
