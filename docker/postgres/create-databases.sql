-- The databases the local stack creates (packages/stack/src/services/postgres.ts), for Docker.
CREATE DATABASE analytics;
CREATE DATABASE notifications;
