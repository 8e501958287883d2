import type { Migration } from 'kysely';
import * as m0001 from './0001_core';
import * as m0002 from './0002_callback_event_result';
import * as m0100 from './0100_crm';
import * as m0200 from './0200_kb';
import * as m0201 from './0201_kb_embeddings';
import * as m0400 from './0400_content';
import * as m0401 from './0401_reply_library';

/*
 * Every migration, by name (lib/db/migrations/NNNN_name.ts). Add one import and one entry in your feature's
 * section; the ranges keep parallel work apart: data 0001–0099, crm 0100–0199, assistant 0200–0299,
 * prod 0300–0399, content library 0400–0499. The list is static so the server bundle contains every migration.
 */

// data (0001–0099)
const data = {
  '0001_core': m0001,
  '0002_callback_event_result': m0002,
};

// crm (0100–0199)
const crm = {
  '0100_crm': m0100,
};

// assistant (0200–0299)
const assistant = {
  '0200_kb': m0200,
  '0201_kb_embeddings': m0201,
};

// prod (0300–0399)
const prod = {};

// content library (0400–0499)
const content = {
  '0400_content': m0400,
  '0401_reply_library': m0401,
};

export const migrations: Record<string, Migration> = { ...data, ...crm, ...assistant, ...prod, ...content };
