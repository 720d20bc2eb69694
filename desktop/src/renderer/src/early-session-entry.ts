// The web build's first script (vite.web.config.ts): small, so it runs while the app's scripts still download.
import { startEarlySession } from './app/early-session.js';

startEarlySession();
