import type { Bilingual } from './limits';

/**
 * What the CRM routes answer (types only, shared with client components). Names of employees come from the
 * API in self-built mode; in third-party mode `nameSource` is 'open-data' and pages render `<ww-open-data>`.
 */

export type NameSource = 'api' | 'open-data';

export interface LibraryTag {
  id: string;
  name: string;
  order: number;
}

export interface LibraryGroup {
  groupId: string;
  groupName: string;
  order: number;
  /** The pipeline's group (stages) is shown apart from the ordinary tags. */
  isPipeline: boolean;
  tags: LibraryTag[];
}

export interface Stage {
  /** The stage's corp tag id. */
  id: string;
  name: string;
  color: string;
  position: number;
}

export interface Pipeline {
  groupId: string | null;
  stages: Stage[];
}

export interface Person {
  userId: string;
  name: string;
  nameSource: NameSource;
}

export interface Note {
  id: string;
  externalUserId: string;
  text: string;
  followUpAt: string | null;
  author: Person;
  createdAt: string;
  updatedAt: string;
  /** Whether the viewer wrote it (only the author edits or deletes). */
  mine: boolean;
}

export type TimelineKind =
  | 'note'
  | 'stage'
  | 'tags'
  | 'remark'
  | 'customer_added'
  | 'customer_deleted'
  | 'member_deleted'
  | 'customer_edited'
  | 'group_joined'
  | 'group_left';

export interface TimelineItem {
  id: string;
  kind: TimelineKind;
  at: string;
  actor: Person | null;
  /** One line saying what happened, in both languages. */
  summary: Bilingual;
  note?: Note;
  /** Where the entry came from: an edit made in this app, or a WeCom callback event. */
  source: 'app' | 'wecom';
}

export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
}

export interface FollowUp {
  noteId: string;
  externalUserId: string;
  customerName: string;
  text: string;
  followUpAt: string;
}

export interface CustomerGroup {
  chatId: string;
  name: string;
  owner: Person;
  memberCount: number;
  joinedAt: string | null;
}

export interface Follower extends Person {
  addedAt: string | null;
  isMe: boolean;
}

/** The sidebar's CRM panel in one request: the viewer's tags and stage, the library, the pipeline. */
export interface CrmPanel {
  externalUserId: string;
  customerType: 'wechat' | 'wecom';
  tagIds: string[];
  stageId: string | null;
  library: LibraryGroup[];
  pipeline: Pipeline;
  followers: Follower[];
  groups: CustomerGroup[];
}
