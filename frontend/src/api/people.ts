/** People: who they are and what they made (issue 23), and following them. */
import { api, call } from './client';

const person = (id: number | string) => ({ params: { path: { person_id: String(id) } } });

export const peopleKeys = {
  person: (id: string) => ['people', id] as const,
};

export const fetchPerson = (id: string) => call(api.GET('/api/v1/people/{person_id}', person(id)));

export const followPerson = (id: number) => call(api.PUT('/api/v1/follows/people/{person_id}', person(id)));
export const unfollowPerson = (id: number) => call(api.DELETE('/api/v1/follows/people/{person_id}', person(id)));
