/** People and follows (issue 23). */
import { api, call } from '../../api/client';
import { pending as loose } from '../../api/pending';
import type { components } from '../../api/schema';
import type { FollowedPerson, PersonDetail } from '../../api/types';

const person = (id: number | string) => ({ params: { path: { person_id: String(id) } } });

export const fetchPerson = async (id: string) =>
  (await call(loose.GET('/api/v1/people/{person_id}', person(id)))) as PersonDetail;

export const followPerson = (id: number) => call(loose.PUT('/api/v1/follows/people/{person_id}', person(id)));
export const unfollowPerson = (id: number) => call(loose.DELETE('/api/v1/follows/people/{person_id}', person(id)));

export type FollowedShow = components['schemas']['FollowOut'];
export interface FollowsOut {
  items: FollowedShow[];
  /** Missing until the backend has follows of people. */
  people?: FollowedPerson[];
}

export const fetchFollows = async () => (await call(api.GET('/api/v1/follows'))) as FollowsOut;
