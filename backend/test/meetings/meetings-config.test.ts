import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('meetings configuration', () => {
  it('defaults to the built-in mesh with six places and no ICE servers', () => {
    const config = loadConfig({});
    expect(config.stream).toBeUndefined();
    expect(config.meetingMeshLimit).toBe(6);
    expect(config.iceServers).toEqual([]);
    expect(config.meetingEmptyGraceSeconds).toBe(60);
  });

  it('reads STUN/TURN servers from ICE_SERVERS', () => {
    const config = loadConfig({
      ICE_SERVERS: '[{"urls":"stun:stun.example.org:3478"},{"urls":["turn:turn.example.org:3478?transport=udp"],"username":"u","credential":"p"}]',
      MEETING_MESH_LIMIT: '4',
    });
    expect(config.iceServers).toEqual([
      { urls: 'stun:stun.example.org:3478' },
      { urls: ['turn:turn.example.org:3478?transport=udp'], username: 'u', credential: 'p' },
    ]);
    expect(config.meetingMeshLimit).toBe(4);
  });

  it('refuses to start with ICE_SERVERS that is not JSON, or not a list of servers', () => {
    expect(() => loadConfig({ ICE_SERVERS: 'stun:stun.example.org' })).toThrow(/ICE_SERVERS: expected JSON/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"url":"stun:x"}]' })).toThrow(ConfigError);
    expect(() => loadConfig({ ICE_SERVERS: '[{"url":"stun:x"}]' })).toThrow(/ICE_SERVERS/);
    expect(() => loadConfig({ MEETING_MESH_LIMIT: '1' })).toThrow(/MEETING_MESH_LIMIT/);
    expect(() => loadConfig({ MEETING_EMPTY_GRACE_SECONDS: '0' })).toThrow(/MEETING_EMPTY_GRACE_SECONDS/);
    expect(loadConfig({ MEETING_EMPTY_GRACE_SECONDS: '0.5' }).meetingEmptyGraceSeconds).toBe(0.5);
  });

  it('switches Stream on only with both key and secret', () => {
    expect(loadConfig({ STREAM_API_KEY: 'key', STREAM_API_SECRET: 'secret' }).stream).toEqual({
      apiKey: 'key',
      apiSecret: 'secret',
      baseUrl: undefined,
    });
    expect(() => loadConfig({ STREAM_API_KEY: 'key' })).toThrow(/set both/);
    expect(() => loadConfig({ STREAM_API_SECRET: 'secret' })).toThrow(/set both/);
    expect(() => loadConfig({ STREAM_API_KEY: 'k', STREAM_API_SECRET: 's', STREAM_BASE_URL: 'ftp://x' })).toThrow(/STREAM_BASE_URL/);
  });
});
