import { render } from 'solid-js/web';
import App from './App';
import './index.css';
import { registerServiceWorker } from './pwa/register';
import { useTheme } from './stores/theme';

// Start following the saved/OS theme right away (index.html already painted it).
useTheme();

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing <div id="root">');
render(() => <App />, root);

if (import.meta.env.PROD) registerServiceWorker();
