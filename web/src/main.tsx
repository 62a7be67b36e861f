import { render } from 'preact';
import './index.css';
import { App } from './app/App';
import { startProviders } from './app/providers';

startProviders();
render(<App />, document.getElementById('app')!);
