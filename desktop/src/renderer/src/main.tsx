// First: its body starts restoring the session while the modules below are still being evaluated.
import './app/early-start.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Bootstrap } from './app/bootstrap.js';
import { applyTheme, watchSystemTheme } from './theme/theme.js';
import './styles.css';

applyTheme();
watchSystemTheme();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Bootstrap />
  </StrictMode>,
);
