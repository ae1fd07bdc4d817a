/** The levels of the city's organizations: the registry's one vocabulary, which every full read of it filters on (an index serves it). */
export const ORGANIZATION_LEVELS = ['TERTIARY', 'SECONDARY', 'COMMUNITY', 'INTERNET_HOSPITAL', 'PHARMACY', 'HOTLINE'] as const;
