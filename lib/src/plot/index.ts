export * from "./figure";
export * from "./builders";
export * from "./show";
