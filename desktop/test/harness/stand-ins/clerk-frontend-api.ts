import type { Request, Route } from 'playwright-core';
import type { StandInRoute } from '../page-bridge.js';

/** Cloudflare Turnstile, which Clerk's UI runs for bot protection: a script and a frame. */
export const BOT_PROTECTION_HOST = 'challenges.cloudflare.com';
/** Where Clerk's UI takes avatars and logos from. */
export const CLERK_IMAGE_HOST = 'img.clerk.com';

const now = () => Date.now();

/**
 * What Clerk's hosted UI script does on this machine: it gives clerk-js its UI (a sign-in form in the
 * node clerk-js mounts it in), shows the instance's logo from Clerk's image host, and runs Turnstile's
 * bot check, whose widget lives in a frame. Each of those loads only if the window's CSP allows it.
 */
const UI_SCRIPT = `
(() => {
  class StandInClerkUI {
    static version = '1.0.0-collaro-stand-in';
    constructor(getClerk) { this.getClerk = getClerk; }
    async ensureMounted() {
      return {
        mountComponent: ({ name, node }) => {
          const form = document.createElement('form');
          form.setAttribute('aria-label', 'Clerk ' + name);
          const heading = document.createElement('h2');
          heading.textContent = 'Sign in with Clerk';
          const logo = document.createElement('img');
          logo.alt = 'Clerk instance logo';
          logo.src = 'https://${CLERK_IMAGE_HOST}/collaro-logo.png';
          const challenge = document.createElement('div');
          challenge.id = 'clerk-captcha';
          form.append(heading, logo, challenge);
          node.replaceChildren(form);
          const turnstile = document.createElement('script');
          turnstile.src = 'https://${BOT_PROTECTION_HOST}/turnstile/v0/api.js?render=explicit';
          turnstile.onload = () => window.turnstile.render('#clerk-captcha', { sitekey: 'stand-in' });
          document.head.append(turnstile);
        },
        unmountComponent: ({ node }) => node.replaceChildren(),
        openModal: () => undefined,
        closeModal: () => undefined,
        openDrawer: () => undefined,
        closeDrawer: () => undefined,
        prefetch: () => undefined,
        mountImpersonationFab: () => undefined,
        updateProps: () => undefined,
      };
    }
  }
  window.__internal_ClerkUICtor = StandInClerkUI;
})();
`;

const TURNSTILE_SCRIPT = `
window.turnstile = {
  render(selector) {
    const frame = document.createElement('iframe');
    frame.title = 'Bot protection';
    frame.src = 'https://${BOT_PROTECTION_HOST}/cdn-cgi/challenge-platform/widget';
    document.querySelector(selector).append(frame);
    return 'widget';
  },
};
`;

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

function environment() {
  return {
    object: 'environment',
    id: 'env_stand_in',
    auth_config: { object: 'auth_config', id: 'aac_stand_in', single_session_mode: true, claimed_at: null, reverification: false },
    display_config: {
      object: 'display_config',
      id: 'display_config_stand_in',
      instance_environment_type: 'development',
      application_name: 'Collaro',
      theme: {
        buttons: { font_color: '#ffffff', font_family: 'sans-serif', font_weight: '600' },
        general: {
          color: '#6c47ff',
          padding: '1em',
          box_shadow: 'none',
          font_color: '#151515',
          font_family: 'sans-serif',
          border_radius: '0.5em',
          background_color: '#ffffff',
          label_font_weight: '600',
        },
        accounts: { background_color: '#ffffff' },
      },
      preferred_sign_in_strategy: 'password',
      logo_image_url: 'https://${CLERK_IMAGE_HOST}/collaro-logo.png',
      favicon_image_url: '',
      home_url: 'https://collaro.example.test',
      sign_in_url: 'https://accounts.collaro.example.test/sign-in',
      sign_up_url: 'https://accounts.collaro.example.test/sign-up',
      user_profile_url: 'https://accounts.collaro.example.test/user',
      after_sign_in_url: 'https://collaro.example.test',
      after_sign_up_url: 'https://collaro.example.test',
      after_sign_out_one_url: 'https://collaro.example.test',
      after_sign_out_all_url: 'https://collaro.example.test',
      captcha_public_key: 'stand-in',
      captcha_widget_type: 'smart',
      captcha_provider: 'turnstile',
      captcha_public_key_invisible: null,
      captcha_oauth_bypass: [],
      branded: false,
    },
    user_settings: {
      attributes: {
        email_address: {
          enabled: true,
          required: true,
          used_for_first_factor: true,
          first_factors: ['email_code'],
          used_for_second_factor: false,
          second_factors: [],
          verifications: ['email_code'],
          verify_at_sign_up: true,
        },
        password: {
          enabled: true,
          required: true,
          used_for_first_factor: false,
          first_factors: [],
          used_for_second_factor: false,
          second_factors: [],
          verifications: [],
          verify_at_sign_up: false,
        },
      },
      social: {},
      sign_in: { second_factor: { required: false } },
      sign_up: {
        captcha_enabled: true,
        captcha_widget_type: 'smart',
        custom_action_required: false,
        progressive: true,
        mode: 'public',
        legal_consent_enabled: false,
      },
      password_settings: {
        disable_hibp: false,
        min_length: 8,
        max_length: 72,
        require_special_char: false,
        require_numbers: false,
        require_uppercase: false,
        require_lowercase: false,
        show_zxcvbn: false,
        min_zxcvbn_strength: 0,
        enforce_hibp_on_sign_in: false,
        allowed_special_characters: '',
      },
      actions: { delete_self: true, create_organization: true },
      attack_protection: {
        user_lockout: { enabled: false, max_attempts: 100, duration_in_minutes: 60 },
        pii: { enabled: false },
        email_link: { require_same_client: false },
      },
      passkey_settings: { allow_autofill: false, show_sign_in_button: false },
      enterprise_sso: { enabled: false },
    },
    organization_settings: {
      enabled: true,
      max_allowed_memberships: 5,
      actions: { admin_delete: true },
      domains: { enabled: false, enrollment_modes: [], default_role: null },
      force_organization_selection: false,
    },
    commerce_settings: {
      billing: {
        enabled: false,
        has_paid_user_plans: false,
        has_paid_org_plans: false,
        user: { enabled: false, has_paid_plans: false },
        organization: { enabled: false, has_paid_plans: false },
      },
    },
    api_keys_settings: { enabled: false },
    maintenance_mode: false,
    client_debug_mode: false,
  };
}

function client() {
  return {
    object: 'client',
    id: 'client_stand_in',
    sessions: [],
    sign_in: null,
    sign_up: null,
    last_active_session_id: null,
    cookie_expires_at: null,
    captcha_bypass: false,
    created_at: now(),
    updated_at: now(),
  };
}

/**
 * Clerk, as far as the desktop app reaches it: the Frontend API host of a publishable key (its UI
 * script and its REST API), Clerk's image host and Cloudflare's bot check. It records every request
 * that got through the window's CSP to reach it.
 */
export class ClerkFrontendApiStandIn implements StandInRoute {
  readonly requests: { host: string; method: string; path: string }[] = [];

  constructor(readonly frontendApi: string) {}

  matches(url: URL): boolean {
    return url.protocol === 'https:' && [this.frontendApi, BOT_PROTECTION_HOST, CLERK_IMAGE_HOST].includes(url.hostname);
  }

  async handle(route: Route, request: Request): Promise<void> {
    const url = new URL(request.url());
    this.requests.push({ host: url.hostname, method: request.method(), path: url.pathname });
    const origin = (await request.headerValue('origin')) ?? '*';
    const cors = {
      'access-control-allow-origin': origin,
      'access-control-allow-headers': 'authorization, content-type, x-clerk-sdk',
      'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
      'access-control-expose-headers': 'authorization',
    };
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    if (url.hostname === BOT_PROTECTION_HOST) {
      if (url.pathname.endsWith('/api.js')) return route.fulfill({ status: 200, contentType: 'text/javascript', body: TURNSTILE_SCRIPT });
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Bot protection</title><p>Verifying you are human</p>' });
    }
    if (url.hostname === CLERK_IMAGE_HOST) return route.fulfill({ status: 200, contentType: 'image/png', body: PNG_1X1 });
    if (/^\/npm\/@clerk\/ui@[^/]+\/dist\/ui\.browser\.js$/.test(url.pathname)) {
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: UI_SCRIPT });
    }
    const json = (body: unknown) => route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // A development instance first gets a dev-browser id, which later requests carry.
    if (url.pathname === '/v1/dev_browser' && request.method() === 'POST') return json({ object: 'dev_browser', id: 'dvb_stand_in' });
    if (url.pathname === '/v1/environment') return json(environment());
    if (url.pathname === '/v1/client') return json({ response: client(), client: null });
    return route.fulfill({
      status: 404,
      headers: { ...cors, 'content-type': 'application/json' },
      body: JSON.stringify({ errors: [{ code: 'resource_not_found', message: 'not found' }] }),
    });
  }
}
