// CSV files imported as text with Vite's `?raw` (the Maven sample in the agreement test).
declare module '*.csv?raw' {
  const text: string;
  export default text;
}
