import { ADD_MEMBER, CREATE_PROJECT, mutate, signUp, type BenchUser } from '../world-api.js';

/** The attacker's side of the world: the attacker, a fellow member and their shared project. */
export interface AttackerWorld {
  attacker: BenchUser;
  fellowMember: BenchUser;
  sharedProjectId: string;
}

/**
 * Signs the attacker and a fellow member up and gives them a project of their own, through the
 * gateway as clients do. The victim is not a member: the attacks reach it only through what the
 * platform shares (the gateway, the subgraphs, their breakers).
 */
export async function createAttackerWorld(gatewayUrl: string): Promise<AttackerWorld> {
  const attacker = await signUp(gatewayUrl, 'Abuse Attacker');
  const fellowMember = await signUp(gatewayUrl, 'Abuse Fellow Member');
  const { createProject } = await mutate<{ createProject: { id: string } }>(
    gatewayUrl,
    attacker,
    CREATE_PROJECT,
    { name: 'Attacker project', description: 'Shared by the attacker and a fellow member' },
  );
  await mutate(gatewayUrl, attacker, ADD_MEMBER, {
    projectId: createProject.id,
    userId: fellowMember.id,
  });
  return { attacker, fellowMember, sharedProjectId: createProject.id };
}
