// The home page: the manifest editor with its examples menu.
import { setupEditors } from "./editor.js";

setupEditors();
