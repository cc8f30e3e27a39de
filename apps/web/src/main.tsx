import { render } from 'preact';
import { App } from './app';
import { adoptTokenFromLocation } from './session';
import './styles.css';

adoptTokenFromLocation();
render(<App />, document.getElementById('root')!);
