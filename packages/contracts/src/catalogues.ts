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
