import { describe, expect, it } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { hideFieldSuggestions } from './field-suggestions.js';

interface Caller {
  anonymous: boolean;
}

async function validationMessage(caller: Caller): Promise<string | undefined> {
  const apollo = new ApolloServer<Caller>({
    typeDefs: 'type Query { me: String }',
    plugins: [hideFieldSuggestions<Caller>((context) => context.anonymous)],
  });
  await apollo.start();
  try {
    const response = await apollo.executeOperation({ query: '{ mee }' }, { contextValue: caller });
    return response.body.kind === 'single'
      ? response.body.singleResult.errors?.[0]?.message
      : undefined;
  } finally {
    await apollo.stop();
  }
}

describe('hideFieldSuggestions', () => {
  it('strips "Did you mean" for the callers it hides them from, and only for them', async () => {
    expect(await validationMessage({ anonymous: true })).toBe(
      'Cannot query field "mee" on type "Query".',
    );
    expect(await validationMessage({ anonymous: false })).toBe(
      'Cannot query field "mee" on type "Query". Did you mean "me"?',
    );
  });
});
