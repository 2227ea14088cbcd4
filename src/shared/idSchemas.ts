/** The schemas of the id lists (providers, tasks), for the places that validate what they read. */
import * as z from './zodMini';
import { PROVIDER_IDS } from './providerIds';
import { RECORDED_TASKS, TASK_TYPES } from './taskTypes';

export const ProviderIdSchema = z.enum(PROVIDER_IDS);
export const RecordedTaskSchema = z.enum(RECORDED_TASKS);
export const TaskTypeSchema = z.enum(TASK_TYPES);
