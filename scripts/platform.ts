/**
 * `npm start`: runs every service of the platform in this terminal, on the stack that start.sh
 * brought up. Ctrl-C stops them all. Services are added here as they are built.
 */
const services: string[] = [];

if (services.length === 0) {
  console.log('The stack is up (npm run stack -- status). No platform services exist yet.');
}
