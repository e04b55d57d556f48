import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { stackEndpoints } from '@platform/config';
import { repoRoot, stackPath } from '../paths.js';
import { commandExists, runningPid, spawnDetached } from '../processes.js';
import { ensureDebianPackages } from '../system-packages.js';
import type { StackService } from '../service.js';

const HEAP = '512m';

/** A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints). */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The SASL mechanisms a SASL listener accepts; each user can log in with any of them. */
export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

export interface KafkaSaslListener {
  /** Where the SASL listener listens (beside the plaintext one, which stays). */
  port: number;
  /** User name to password; letters, digits, `-`, `_` and `.` only (they go into JAAS lines). */
  users: Record<string, string>;
  /** A PEM file with the broker's private key (unencrypted) and certificate: SASL_SSL, not SASL_PLAINTEXT. */
  tlsKeystoreFile?: string;
}

const SAFE_CREDENTIAL = /^[\w.-]+$/;

const saslProtocol = (sasl: KafkaSaslListener) =>
  sasl.tlsKeystoreFile ? 'SASL_SSL' : 'SASL_PLAINTEXT';

function saslProperties(sasl: KafkaSaslListener): string[] {
  const { users, tlsKeystoreFile } = sasl;
  const listener = saslProtocol(sasl).toLowerCase();
  const credentials = Object.entries(users);
  for (const [name, password] of credentials) {
    if (!SAFE_CREDENTIAL.test(name) || !SAFE_CREDENTIAL.test(password)) {
      throw new Error(`Kafka SASL user ${name}: use letters, digits, '-', '_' and '.' only`);
    }
  }
  const plainUsers = credentials.map(([name, password]) => ` user_${name}="${password}"`).join('');
  return [
    `sasl.enabled.mechanisms=${KAFKA_SASL_MECHANISMS.join(',')}`,
    // PLAIN checks the users listed here; SCRAM checks the credentials `format` stored (scramUsers).
    `listener.name.${listener}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required${plainUsers};`,
    `listener.name.${listener}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    `listener.name.${listener}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    ...(tlsKeystoreFile
      ? [
          `listener.name.${listener}.ssl.keystore.type=PEM`,
          `listener.name.${listener}.ssl.keystore.location=${tlsKeystoreFile}`,
        ]
      : []),
  ];
}

/** `kafka-storage format --add-scram` arguments: each user's SCRAM credentials, stored in KRaft's metadata. */
function scramUsers(sasl: KafkaSaslListener | undefined): string[] {
  return Object.entries(sasl?.users ?? {}).flatMap(([name, password]) =>
    KAFKA_SASL_MECHANISMS.filter((mechanism) => mechanism.startsWith('SCRAM')).flatMap(
      (mechanism) => ['--add-scram', `${mechanism}=[name=${name},password=${password}]`],
    ),
  );
}

function serverProperties(
  dataDir: string,
  port: number,
  controllerPort: number,
  sasl: KafkaSaslListener | undefined,
): string {
  const protocol = sasl && saslProtocol(sasl);
  const saslListener = sasl ? `,${protocol}://127.0.0.1:${sasl.port}` : '';
  return [
    '# Written by `npm run stack -- up`: a single-node KRaft broker and controller on loopback.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port}${saslListener},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}${saslListener}`,
    'controller.listener.names=CONTROLLER',
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${protocol ? `,${protocol}:${protocol}` : ''}`,
    'inter.broker.listener.name=PLAINTEXT',
    ...(sasl ? saslProperties(sasl) : []),
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    '',
  ].join('\n');
}

const LOG4J2 = [
  'rootLogger.level=INFO',
  'rootLogger.appenderRef.stdout.ref=STDOUT',
  'appender.stdout.type=Console',
  'appender.stdout.name=STDOUT',
  'appender.stdout.layout.type=PatternLayout',
  'appender.stdout.layout.pattern=[%d] %p %m (%c)%n',
  'logger.kafka.name=kafka',
  'logger.kafka.level=WARN',
  'logger.apache.name=org.apache.kafka',
  'logger.apache.level=WARN',
  '',
].join('\n');

export interface KafkaServiceOptions {
  port: number;
  controllerPort: number;
  /** Where the broker's config and data live. */
  home: string;
  logFile: string;
  pidFile: string;
  /** A SASL_PLAINTEXT listener too (tests of SASL; the stack's own broker has none). */
  sasl?: KafkaSaslListener;
}

/**
 * The stack's broker by default; tests that must stop and restart Kafka run a private broker of
 * their own (other ports, another home) from the same installed jars.
 */
export function kafkaService(options?: KafkaServiceOptions): StackService {
  const endpoints = stackEndpoints().kafka;
  const {
    port = endpoints.port,
    controllerPort = endpoints.controllerPort,
    home = stackPath('kafka'),
    logFile = stackPath('logs', 'kafka.log'),
    pidFile = stackPath('run', 'kafka.pid'),
    sasl,
  } = options ?? {};
  const brokers = [`127.0.0.1:${port}`];
  const libs = stackPath('kafka', 'libs');
  const installedMarker = path.join(libs, '.resolved');
  const dataDir = path.join(home, 'data');
  const configFile = path.join(home, 'server.properties');
  const log4jFile = path.join(home, 'log4j2.properties');
  const classpath = `${libs}/*`;
  const jvmLogging = [`-Dlog4j2.configurationFile=${log4jFile}`];

  return {
    name: 'kafka',
    logFile,
    async install() {
      ensureDebianPackages([
        { command: 'java', pkg: 'openjdk-17-jre-headless' },
        { command: 'mvn', pkg: 'maven' },
      ]);
      if (existsSync(installedMarker)) return;
      rmSync(libs, { recursive: true, force: true });
      execFileSync(
        'mvn',
        [
          '-q',
          '-B',
          '-f',
          path.join(repoRoot, 'packages/stack/kafka/pom.xml'),
          'dependency:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${libs}`,
        ],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      writeFileSync(installedMarker, new Date().toISOString());
    },
    pid: () => runningPid(pidFile),
    async start() {
      if (!commandExists('java')) throw new Error('java (17+) is required for Kafka');
      mkdirSync(home, { recursive: true });
      writeFileSync(configFile, serverProperties(dataDir, port, controllerPort, sasl));
      writeFileSync(log4jFile, LOG4J2);
      if (!existsSync(path.join(dataDir, 'meta.properties'))) {
        execFileSync(
          'java',
          [
            '-cp',
            classpath,
            ...jvmLogging,
            'kafka.tools.StorageTool',
            'format',
            '-t',
            newClusterId(),
            '-c',
            configFile,
            ...scramUsers(sasl),
          ],
          { stdio: 'ignore' },
        );
      }
      spawnDetached(
        'java',
        [
          `-Xmx${HEAP}`,
          `-Xms${HEAP}`,
          '-XX:+UseG1GC',
          '-Djava.awt.headless=true',
          ...jvmLogging,
          '-cp',
          classpath,
          'kafka.Kafka',
          configFile,
        ],
        { logFile, pidFile },
      );
    },
    async probe() {
      const admin = new Kafka({
        clientId: 'stack-probe',
        brokers,
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
      await admin.connect();
      try {
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    },
    describe: () =>
      `127.0.0.1:${port} (KAFKA_PORT), controller ${controllerPort} (KAFKA_CONTROLLER_PORT)${sasl ? `, SASL ${sasl.port}` : ''}, heap ${HEAP}`,
  };
}
