import { developmentRefusal, isLoopbackAddress } from './development-mode';

describe('developmentRefusal', () => {
  it.each([
    'http://localhost:3000',
    'http://LOCALHOST:3000/',
    'http://127.0.0.1:3000',
    'http://127.8.9.10',
    'http://[::1]:3000',
    'https://localhost',
  ])('allows the development shortcuts at %s', (publicUrl) => {
    expect(developmentRefusal({ publicUrl })).toBeUndefined();
    expect(developmentRefusal({ publicUrl, nodeEnv: 'development' })).toBeUndefined();
  });

  it.each([
    'https://accounts.example.com',
    'http://192.168.1.10:3000',
    'http://0.0.0.0:3000',
    'http://[::]:3000',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'http://[::ffff:10.0.0.1]',
    'http://10.127.0.1',
  ])('refuses them at %s, which others can reach', (publicUrl) => {
    expect(developmentRefusal({ publicUrl })).toMatch(/not a loopback address/);
  });

  it('refuses them when NODE_ENV is production, even on loopback', () => {
    expect(developmentRefusal({ publicUrl: 'http://localhost:3000', nodeEnv: 'production' })).toBe(
      'NODE_ENV is production',
    );
  });
});

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.255.0.3', '::1', '::ffff:127.0.0.1'])('%s is loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each(['10.0.0.1', '::', '0.0.0.0', '::ffff:10.0.0.1', 'localhost', ''])('%s is not', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});
