import type { ContentTables } from './tables/content';
import type { CoreTables } from './tables/core';
import type { CrmTables } from './tables/crm';
import type { KbTables } from './tables/kb';

/**
 * Every table of the app, for Kysely's typed queries. Each feature declares its tables in lib/db/tables/<feature>.ts
 * and adds one line here (interfaces merge), e.g. `export interface Database extends CrmTables {}`.
 */
export interface Database extends CoreTables, CrmTables, ContentTables, KbTables {}
