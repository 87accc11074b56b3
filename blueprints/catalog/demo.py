"""Demo catalogs (``flask demo seed``): a Luxembourg bakery for both Boulangerie Demo stores and a
fashion range for Mode Lux. Products go through ``services.create_product`` so the editor's rules
apply; a product or category whose address the store already has is left alone, so a second run
adds nothing. Stock and locations belong to the inventory module, not here.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from blueprints.catalog import services
from blueprints.catalog.models import Category, Product
from blueprints.tenancy.models import Store
from webapp.extensions import db

BAKERY_STORES = ("boulangerie-centre", "boulangerie-gare")
FASHION_STORE = "mode-lux"

# -- the bakery ---------------------------------------------------------------------------------
BAKERY_CATEGORIES = [
    ("pains", {"fr": "Pains", "de": "Brot", "en": "Bread", "lb": "Brout"}),
    ("viennoiseries", {"fr": "Viennoiseries", "de": "Feingebäck", "en": "Pastries", "lb": "Feinbäckerei"}),
    ("patisseries", {"fr": "Pâtisseries", "de": "Kuchen & Torten", "en": "Cakes & tarts", "lb": "Kuch & Taarten"}),
    ("snacks", {"fr": "Snacks", "de": "Snacks", "en": "Snacks", "lb": "Snacks"}),
    ("boissons", {"fr": "Boissons", "de": "Getränke", "en": "Drinks", "lb": "Gedrénks"}),
]
FOOD, ALCOHOL = "super_reduced", "standard"  # LU: 3 % on food and soft drinks, 17 % on alcohol
# (category, SKU, price or [(size, price)], VAT class, status, (fr title, description), (de…), (en…))
BAKERY_PRODUCTS = [
    ("pains", "BL-BAGUETTE", "1,20", FOOD, "active",
     ("Baguette", "La baguette croustillante, cuite toutes les heures."),
     ("Baguette", "Knuspriges Baguette, stündlich frisch gebacken."),
     ("Baguette", "Our crusty baguette, baked every hour.")),
    ("pains", "BL-TRADITION", "1,50", FOOD, "active",
     ("Baguette tradition", "Farine Label Rouge et fermentation lente de 24 heures."),
     ("Baguette Tradition", "Label-Rouge-Mehl und 24 Stunden langsame Gärung."),
     ("Traditional baguette", "Label Rouge flour and a slow 24-hour rise.")),
    ("pains", "BL-CAMPAGNE", [("400 g", "2,90"), ("800 g", "4,90")], FOOD, "active",
     ("Pain de campagne", "Au levain naturel, mie alvéolée et croûte épaisse."),
     ("Landbrot", "Mit Natursauerteig, lockere Krume und kräftige Kruste."),
     ("Country loaf", "Natural sourdough, open crumb and a thick crust.")),
    ("pains", "BL-COMPLET", [("400 g", "3,10"), ("800 g", "5,20")], FOOD, "active",
     ("Pain complet", "Farine complète de blé luxembourgeois, riche en fibres."),
     ("Vollkornbrot", "Vollkornmehl aus luxemburgischem Weizen, reich an Ballaststoffen."),
     ("Wholemeal loaf", "Wholemeal flour from Luxembourg wheat, rich in fibre.")),
    ("pains", "BL-BAUEREBROUT", [("500 g", "3,60"), ("1 kg", "6,40")], FOOD, "active",
     ("Bauerebrout", "Le pain de seigle luxembourgeois, au levain et au cumin."),
     ("Bauerebrout", "Das luxemburgische Roggenbrot, mit Sauerteig und Kümmel."),
     ("Bauerebrout", "Luxembourg's rye farmhouse bread, with sourdough and caraway.")),
    ("pains", "BL-NOIX", "3,80", FOOD, "active",
     ("Pain aux noix", "Généreusement garni de noix de Grenoble."),
     ("Walnussbrot", "Großzügig mit Walnüssen aus Grenoble gebacken."),
     ("Walnut bread", "Generously filled with Grenoble walnuts.")),
    ("pains", "BL-MIE", "3,40", FOOD, "active",
     ("Pain de mie", "Moelleux, tranché, idéal pour les toasts du matin."),
     ("Toastbrot", "Weich und geschnitten, ideal für den Frühstückstoast."),
     ("Sandwich loaf", "Soft and sliced, just right for breakfast toast.")),
    ("viennoiseries", "BL-CROISSANT", "1,30", FOOD, "active",
     ("Croissant", "Pur beurre AOP, feuilleté à la main."),
     ("Croissant", "Mit AOP-Butter, von Hand tourniert."),
     ("Croissant", "All-butter (AOP), laminated by hand.")),
    ("viennoiseries", "BL-PAIN-CHOC", "1,50", FOOD, "active",
     ("Pain au chocolat", "Deux barres de chocolat noir dans une pâte pur beurre."),
     ("Schokoladencroissant", "Zwei Riegel Zartbitterschokolade im Butterteig."),
     ("Pain au chocolat", "Two bars of dark chocolate in all-butter pastry.")),
    ("viennoiseries", "BL-RAISINS", "1,80", FOOD, "active",
     ("Pain aux raisins", "Crème pâtissière et raisins macérés au rhum."),
     ("Rosinenschnecke", "Mit Vanillecreme und in Rum eingelegten Rosinen."),
     ("Raisin swirl", "Custard and rum-soaked raisins.")),
    ("viennoiseries", "BL-CHAUSSON", "2,10", FOOD, "active",
     ("Chausson aux pommes", "Compote de pommes du Luxembourg dans un feuilletage doré."),
     ("Apfeltasche", "Apfelkompott aus Luxemburg in goldenem Blätterteig."),
     ("Apple turnover", "Luxembourg apple compote in golden puff pastry.")),
    ("viennoiseries", "BL-BRIOCHE", "2,40", FOOD, "active",
     ("Brioche tressée", "Tressée à la main, au beurre et aux œufs frais."),
     ("Butterzopf", "Von Hand geflochten, mit Butter und frischen Eiern."),
     ("Plaited brioche", "Plaited by hand, with butter and fresh eggs.")),
    ("viennoiseries", "BL-CROISSANT-AMANDES", "2,20", FOOD, "active",
     ("Croissant aux amandes", "Garni de crème d'amande et d'amandes effilées."),
     ("Mandelcroissant", "Gefüllt mit Mandelcreme, mit Mandelblättchen bestreut."),
     ("Almond croissant", "Filled with almond cream, topped with flaked almonds.")),
    ("patisseries", "BL-QUETSCH", "3,50", FOOD, "active",
     ("Quetschentaart (la part)", "La tarte aux quetsches luxembourgeoise, en saison de septembre."),
     ("Quetschentaart (Stück)", "Der luxemburgische Zwetschgenkuchen, in der Saison ab September."),
     ("Quetschentaart (slice)", "Luxembourg's damson plum tart, in season from September.")),
    ("patisseries", "BL-TARTE-POMMES", "3,20", FOOD, "active",
     ("Tarte aux pommes (la part)", "Pommes fines sur pâte brisée, nappage abricot."),
     ("Apfelkuchen (Stück)", "Feine Apfelscheiben auf Mürbeteig, mit Aprikosenglasur."),
     ("Apple tart (slice)", "Thin apple slices on shortcrust, apricot glaze.")),
    ("patisseries", "BL-ECLAIR", "3,40", FOOD, "active",
     ("Éclair au chocolat", "Pâte à choux et crème au chocolat noir 70 %."),
     ("Schokoladen-Eclair", "Brandteig mit Creme aus 70-prozentiger Zartbitterschokolade."),
     ("Chocolate éclair", "Choux pastry with 70% dark chocolate cream.")),
    ("patisseries", "BL-MILLEFEUILLE", "3,80", FOOD, "active",
     ("Mille-feuille", "Feuilletage caramélisé et crème pâtissière vanille."),
     ("Cremeschnitte", "Karamellisierter Blätterteig mit Vanillecreme."),
     ("Mille-feuille", "Caramelised puff pastry and vanilla custard.")),
    ("patisseries", "BL-FORET-NOIRE", "4,20", FOOD, "active",
     ("Forêt-Noire (la part)", "Génoise au cacao, chantilly et griottes au kirsch."),
     ("Schwarzwälder Kirschtorte (Stück)", "Kakaobiskuit, Sahne und Sauerkirschen mit Kirschwasser."),
     ("Black Forest gateau (slice)", "Cocoa sponge, whipped cream and kirsch cherries.")),
    ("patisseries", "BL-MACARONS", [("6 pièces", "9,50"), ("12 pièces", "18,00")], FOOD, "active",
     ("Macarons", "Assortiment de saison : framboise, pistache, vanille, chocolat…"),
     ("Macarons", "Saisonale Auswahl: Himbeere, Pistazie, Vanille, Schokolade…"),
     ("Macarons", "A seasonal assortment: raspberry, pistachio, vanilla, chocolate…")),
    ("patisseries", "BL-BAAMKUCH", "12,90", FOOD, "active",
     ("Baamkuch", "Le gâteau à la broche des mariages luxembourgeois, glacé au sucre."),
     ("Baamkuch", "Der luxemburgische Baumkuchen vom Spieß, mit Zuckerglasur."),
     ("Baamkuch", "Luxembourg's spit-roasted wedding cake, sugar-glazed.")),
    ("patisseries", "BL-VERWURELTER", "1,60", FOOD, "draft",
     ("Verwurelter", "Beignets torsadés du carnaval, saupoudrés de sucre (en février)."),
     ("Verwurelter", "Gedrehte Faschingskrapfen mit Puderzucker (im Februar)."),
     ("Verwurelter", "Twisted carnival doughnuts dusted with sugar (in February).")),
    ("snacks", "BL-JAMBON-BEURRE", "4,50", FOOD, "active",
     ("Sandwich jambon-beurre", "Baguette tradition, jambon cuit et beurre demi-sel."),
     ("Schinken-Butter-Sandwich", "Baguette Tradition mit Kochschinken und gesalzener Butter."),
     ("Ham and butter sandwich", "Traditional baguette, cooked ham and salted butter.")),
    ("snacks", "BL-POULET-CURRY", "5,20", FOOD, "active",
     ("Sandwich poulet curry", "Poulet fermier, sauce curry douce et crudités."),
     ("Curry-Hähnchen-Sandwich", "Freilandhähnchen, milde Currysauce und Rohkost."),
     ("Chicken curry sandwich", "Free-range chicken, mild curry sauce and salad.")),
    ("snacks", "BL-QUICHE", "4,80", FOOD, "active",
     ("Quiche lorraine", "Lardons fumés, crème et œufs sur pâte brisée."),
     ("Quiche Lorraine", "Geräucherter Speck, Sahne und Eier auf Mürbeteig."),
     ("Quiche lorraine", "Smoked bacon, cream and eggs on shortcrust.")),
    ("snacks", "BL-CROQUE", "4,90", FOOD, "active",
     ("Croque-monsieur", "Pain de mie, jambon, béchamel et gruyère gratiné."),
     ("Croque Monsieur", "Toastbrot, Schinken, Béchamel und überbackener Greyerzer."),
     ("Croque-monsieur", "Sandwich loaf, ham, béchamel and grilled Gruyère.")),
    ("snacks", "BL-RIESLINGSPASCHTEIT", "4,60", FOOD, "active",
     ("Rieslingspaschtéit", "Le pâté en croûte luxembourgeois au Riesling de la Moselle."),
     ("Rieslingspaschtéit", "Die luxemburgische Pastete mit Riesling von der Mosel."),
     ("Rieslingspaschtéit", "Luxembourg's Riesling pie, with wine from the Moselle.")),
    ("snacks", "BL-SALADE-CESAR", "7,90", FOOD, "draft",
     ("Salade César", "Romaine, poulet grillé, parmesan et croûtons maison."),
     ("Caesar Salad", "Römersalat, gegrilltes Hähnchen, Parmesan und hausgemachte Croûtons."),
     ("Caesar salad", "Romaine, grilled chicken, Parmesan and home-made croutons.")),
    ("boissons", "BL-ESPRESSO", "2,20", FOOD, "active",
     ("Espresso", "Café torréfié à Luxembourg, à emporter."),
     ("Espresso", "In Luxemburg gerösteter Kaffee, zum Mitnehmen."),
     ("Espresso", "Coffee roasted in Luxembourg, to take away.")),
    ("boissons", "BL-CAPPUCCINO", "3,20", FOOD, "active",
     ("Cappuccino", "Espresso et lait entier moussé."),
     ("Cappuccino", "Espresso mit aufgeschäumter Vollmilch."),
     ("Cappuccino", "Espresso with foamed whole milk.")),
    ("boissons", "BL-JUS-ORANGE", "3,90", FOOD, "active",
     ("Jus d'orange pressé (25 cl)", "Pressé minute, sans sucre ajouté."),
     ("Frisch gepresster Orangensaft (25 cl)", "Frisch gepresst, ohne Zuckerzusatz."),
     ("Fresh orange juice (25 cl)", "Squeezed to order, no added sugar.")),
    ("boissons", "BL-EAU", "1,80", FOOD, "active",
     ("Eau minérale (50 cl)", "Eau minérale naturelle de Rosport, plate ou pétillante."),
     ("Mineralwasser (50 cl)", "Natürliches Mineralwasser aus Rosport, still oder sprudelnd."),
     ("Mineral water (50 cl)", "Natural mineral water from Rosport, still or sparkling.")),
    ("boissons", "BL-CREMANT", "14,90", ALCOHOL, "active",
     ("Crémant de Luxembourg (75 cl)", "Brut, méthode traditionnelle, de la Moselle luxembourgeoise."),
     ("Crémant de Luxembourg (75 cl)", "Brut, traditionelle Flaschengärung, von der Luxemburger Mosel."),
     ("Crémant de Luxembourg (75 cl)", "Brut, traditional method, from the Luxembourg Moselle.")),
    ("boissons", "BL-BIERE", "2,50", ALCOHOL, "active",
     ("Bière blonde luxembourgeoise (33 cl)", "Pils brassée au Luxembourg, servie fraîche."),
     ("Luxemburger Pils (33 cl)", "In Luxemburg gebrautes Pils, gut gekühlt."),
     ("Luxembourg lager (33 cl)", "Pilsner brewed in Luxembourg, served chilled.")),
]

# -- the fashion store --------------------------------------------------------------------------
FASHION_CATEGORIES = [
    ("t-shirts", {"fr": "T-shirts", "de": "T-Shirts", "en": "T-shirts", "lb": "T-Shirten"}),
    ("chemises", {"fr": "Chemises", "de": "Hemden & Blusen", "en": "Shirts & blouses", "lb": "Hiemer"}),
    ("pantalons", {"fr": "Pantalons", "de": "Hosen", "en": "Trousers", "lb": "Boxen"}),
    ("robes", {"fr": "Robes", "de": "Kleider", "en": "Dresses", "lb": "Kleeder"}),
    ("accessoires", {"fr": "Accessoires", "de": "Accessoires", "en": "Accessories", "lb": "Accessoiren"}),
]
# What a piece is made of, as each language writes "made from …", and where it is made.
MATERIALS = {
    "cotton": ("100 % coton biologique", "100 % Bio-Baumwolle", "100% organic cotton", "PT"),
    "jersey": ("jersey de coton bio", "Bio-Baumwolljersey", "organic cotton jersey", "PT"),
    "linen": ("100 % lin lavé", "100 % gewaschenem Leinen", "100% washed linen", "PT"),
    "denim": ("denim de coton stretch", "Stretch-Baumwolldenim", "stretch cotton denim", "PT"),
    "merino": ("laine mérinos", "Merinowolle", "merino wool", "IT"),
    "silk": ("100 % soie", "100 % Seide", "100% silk", "IT"),
    "satin": ("satin de soie", "Seidensatin", "silk satin", "IT"),
    "viscose": ("viscose fluide", "fließender Viskose", "fluid viscose", "PT"),
    "polyester": ("polyester recyclé", "recyceltem Polyester", "recycled polyester", "PT"),
    "corduroy": ("velours côtelé de coton", "Baumwollcord", "cotton corduroy", "PT"),
    "wool": ("laine et cachemire", "Wolle und Kaschmir", "wool and cashmere", "IT"),
    "canvas": ("toile de coton épaisse", "festem Baumwollcanvas", "heavy cotton canvas", "PT"),
    "leather": ("cuir de vachette tanné végétal", "pflanzlich gegerbtem Rindsleder", "vegetable-tanned cowhide",
                "IT"),
    "acetate": ("acétate de cellulose", "Celluloseacetat", "cellulose acetate", "IT"),
}
MADE_IN = {"PT": ("au Portugal", "in Portugal", "Portugal"), "IT": ("en Italie", "in Italien", "Italy")}
SIZES = {"t-shirts": ["S", "M", "L", "XL"], "chemises": ["S", "M", "L"], "pantalons": ["38", "40", "42"],
         "robes": ["S", "M", "L"], "accessoires": []}
SKU_PREFIX = {"t-shirts": "TS", "chemises": "CH", "pantalons": "PA", "robes": "RO", "accessoires": "AC"}
# (category, fr title, de title, en title, price, material, colours, sale price or None[, status])
FASHION_PRODUCTS = [
    ("t-shirts", "T-shirt col rond", "Rundhals-T-Shirt", "Crew-neck T-shirt", "19,90", "jersey",
     ["White", "Navy"], None),
    ("t-shirts", "T-shirt col V", "T-Shirt mit V-Ausschnitt", "V-neck T-shirt", "22,90", "jersey",
     ["Black", "Grey"], None),
    ("t-shirts", "Marinière", "Bretonisches Streifenshirt", "Breton striped top", "34,90", "cotton",
     ["Navy", "Red"], "27,90"),
    ("t-shirts", "T-shirt oversize", "Oversize-T-Shirt", "Oversized T-shirt", "29,90", "jersey", ["Sand"], None),
    ("t-shirts", "T-shirt manches longues", "Langarmshirt", "Long-sleeve T-shirt", "27,90", "jersey",
     ["White", "Olive"], None),
    ("t-shirts", "T-shirt en lin", "Leinen-T-Shirt", "Linen T-shirt", "39,90", "linen", ["Ecru"], None),
    ("t-shirts", "Polo piqué", "Piqué-Poloshirt", "Piqué polo shirt", "49,90", "cotton", ["Navy", "White"],
     "39,90"),
    ("t-shirts", "T-shirt imprimé Luxembourg", "T-Shirt mit Luxemburg-Print", "Luxembourg print T-shirt", "24,90",
     "jersey", ["White"], None),
    ("t-shirts", "Débardeur côtelé", "Geripptes Tanktop", "Ribbed tank top", "19,90", "jersey", ["Black", "White"],
     None),
    ("t-shirts", "T-shirt henley", "Henley-Shirt", "Henley T-shirt", "32,90", "cotton", ["Grey"], None),
    ("t-shirts", "T-shirt de sport respirant", "Atmungsaktives Sportshirt", "Breathable sports T-shirt", "29,90",
     "polyester", ["Black", "Blue"], None),
    ("t-shirts", "T-shirt à poche", "T-Shirt mit Brusttasche", "Pocket T-shirt", "24,90", "jersey", ["Olive"],
     None),
    ("t-shirts", "T-shirt en mérinos", "Merino-T-Shirt", "Merino T-shirt", "59,90", "merino", ["Black", "Navy"],
     None),
    ("t-shirts", "T-shirt tie-dye", "Batik-T-Shirt", "Tie-dye T-shirt", "27,90", "jersey", ["Blue"], "19,90"),
    ("chemises", "Chemise Oxford", "Oxford-Hemd", "Oxford shirt", "59,90", "cotton", ["White", "Blue"], None),
    ("chemises", "Chemise en lin", "Leinenhemd", "Linen shirt", "69,90", "linen", ["White", "Sand"], None),
    ("chemises", "Chemise en jean", "Jeanshemd", "Denim shirt", "64,90", "denim", ["Blue"], None),
    ("chemises", "Chemise à carreaux en flanelle", "Kariertes Flanellhemd", "Checked flannel shirt", "54,90",
     "cotton", ["Red", "Green"], "42,90"),
    ("chemises", "Chemise blanche habillée", "Weißes Businesshemd", "White dress shirt", "79,90", "cotton",
     ["White"], None),
    ("chemises", "Chemise col Mao", "Hemd mit Stehkragen", "Grandad-collar shirt", "64,90", "linen",
     ["Ecru", "Navy"], None),
    ("chemises", "Chemise manches courtes", "Kurzarmhemd", "Short-sleeve shirt", "44,90", "viscose",
     ["Olive"], None),
    ("chemises", "Chemise rayée en popeline", "Gestreiftes Popelinehemd", "Striped poplin shirt", "59,90",
     "cotton", ["Blue"], None),
    ("chemises", "Chemise en velours côtelé", "Cordhemd", "Corduroy shirt", "74,90", "corduroy",
     ["Brown", "Burgundy"], None),
    ("chemises", "Surchemise", "Overshirt", "Overshirt", "89,90", "wool", ["Grey"], "69,90"),
    ("chemises", "Blouse en soie", "Seidenbluse", "Silk blouse", "129,00", "silk", ["Ivory", "Black"], None),
    ("chemises", "Blouse à volants", "Rüschenbluse", "Ruffled blouse", "49,90", "viscose", ["White"], None),
    ("pantalons", "Jean droit", "Gerade Jeans", "Straight-leg jeans", "79,90", "denim", ["Indigo", "Black"], None),
    ("pantalons", "Jean slim", "Slim-Fit-Jeans", "Slim-fit jeans", "79,90", "denim", ["Indigo"], "59,90"),
    ("pantalons", "Chino", "Chinohose", "Chinos", "64,90", "cotton", ["Beige", "Navy"], None),
    ("pantalons", "Pantalon en lin", "Leinenhose", "Linen trousers", "69,90", "linen", ["Sand"], None),
    ("pantalons", "Pantalon de costume", "Anzughose", "Suit trousers", "99,90", "wool", ["Charcoal", "Navy"], None),
    ("pantalons", "Pantalon cargo", "Cargohose", "Cargo trousers", "69,90", "canvas", ["Olive", "Black"], None),
    ("pantalons", "Pantalon en velours côtelé", "Cordhose", "Corduroy trousers", "74,90", "corduroy", ["Brown"],
     None),
    ("pantalons", "Jogging en molleton", "Jogginghose", "Fleece joggers", "49,90", "cotton", ["Grey", "Black"],
     "39,90"),
    ("pantalons", "Pantalon large", "Weite Hose", "Wide-leg trousers", "74,90", "viscose", ["Black"], None),
    ("pantalons", "Short chino", "Chino-Shorts", "Chino shorts", "44,90", "cotton", ["Beige", "Navy"], None),
    ("pantalons", "Bermuda en lin", "Leinen-Bermudas", "Linen Bermuda shorts", "49,90", "linen", ["White"], None),
    ("pantalons", "Legging côtelé", "Gerippte Leggings", "Ribbed leggings", "34,90", "jersey", ["Black"], None),
    ("robes", "Robe portefeuille", "Wickelkleid", "Wrap dress", "89,90", "viscose", ["Green", "Black"], None),
    ("robes", "Robe chemise", "Hemdblusenkleid", "Shirt dress", "79,90", "cotton", ["Blue", "White"], "59,90"),
    ("robes", "Petite robe noire", "Kleines Schwarzes", "Little black dress", "119,00", "viscose", ["Black"], None),
    ("robes", "Robe d'été en lin", "Sommerkleid aus Leinen", "Linen summer dress", "84,90", "linen",
     ["Ecru", "Terracotta"], None),
    ("robes", "Robe midi plissée", "Plissiertes Midikleid", "Pleated midi dress", "99,90", "polyester",
     ["Burgundy"], None),
    ("robes", "Robe pull", "Strickkleid", "Knitted dress", "94,90", "merino", ["Grey", "Camel"], "74,90"),
    ("robes", "Robe longue fleurie", "Geblümtes Maxikleid", "Floral maxi dress", "109,00", "viscose", ["Blue"],
     None),
    ("robes", "Robe en jean", "Jeanskleid", "Denim dress", "74,90", "denim", ["Indigo"], None),
    ("robes", "Robe trapèze", "A-Linien-Kleid", "A-line dress", "69,90", "cotton", ["Navy", "Red"], None),
    ("robes", "Robe de soirée en satin", "Satin-Abendkleid", "Satin evening dress", "149,00", "satin",
     ["Emerald", "Black"], None, "draft"),
    ("robes", "Robe t-shirt", "T-Shirt-Kleid", "T-shirt dress", "39,90", "jersey", ["Black", "Grey"], None),
    ("accessoires", "Ceinture en cuir", "Ledergürtel", "Leather belt", "49,90", "leather", ["Brown", "Black"],
     None),
    ("accessoires", "Écharpe en laine", "Wollschal", "Wool scarf", "39,90", "wool", ["Camel", "Grey", "Red"],
     "29,90"),
    ("accessoires", "Bonnet en maille", "Strickmütze", "Knitted beanie", "24,90", "merino", ["Navy", "Mustard"],
     None),
    ("accessoires", "Casquette en coton", "Baumwollcap", "Cotton cap", "22,90", "cotton", ["Navy"], None),
    ("accessoires", "Sac cabas en toile", "Canvas-Shopper", "Canvas tote bag", "29,90", "canvas", ["Natural"],
     None),
    ("accessoires", "Sac bandoulière en cuir", "Umhängetasche aus Leder", "Leather crossbody bag", "139,00",
     "leather", ["Cognac", "Black"], None),
    ("accessoires", "Foulard en soie", "Seidentuch", "Silk scarf", "59,90", "silk", ["Blue", "Pink"], None),
    ("accessoires", "Portefeuille en cuir", "Lederportemonnaie", "Leather wallet", "54,90", "leather",
     ["Brown"], None),
    ("accessoires", "Chaussettes (lot de 3)", "Socken (3er-Pack)", "Socks (pack of 3)", "19,90", "cotton",
     ["Multicolour"], None),
    ("accessoires", "Gants en cuir", "Lederhandschuhe", "Leather gloves", "64,90", "leather", ["Black"], None,
     "draft"),
    ("accessoires", "Lunettes de soleil", "Sonnenbrille", "Sunglasses", "89,90", "acetate", ["Tortoiseshell",
                                                                                           "Black"], None),
]


def _bakery_products() -> list[dict]:
    products = []
    for category, sku, price, vat_class, status, fr, de, en in BAKERY_PRODUCTS:
        if isinstance(price, str):
            option_names, variants = [], [{"sku": sku, "options": [], "price": price}]
        else:
            option_names = ["Size"]
            variants = [{"sku": f"{sku}-{services.slugify(size).upper()}", "options": [size], "price": amount}
                        for size, amount in price]
        products.append({
            "slug": services.slugify(fr[0]), "category": category, "product_type": "physical",
            "status": status, "vat_class": vat_class, "option_names": option_names, "variants": variants,
            "translations": {language: {"title": title, "description": description}
                             for language, (title, description) in zip(("fr", "de", "en"), (fr, de, en), strict=True)},
        })
    return products


def _fashion_products() -> list[dict]:
    products, counters = [], {}
    for category, fr, de, en, price, material, colours, sale, *rest in FASHION_PRODUCTS:
        counters[category] = counters.get(category, 0) + 1
        code = f"ML-{SKU_PREFIX[category]}{counters[category]:02d}"
        sizes = SIZES[category]
        made_from_fr, made_from_de, made_from_en, country = MATERIALS[material]
        made_in_fr, made_in_de, made_in_en = MADE_IN[country]
        combinations = [[size, colour] for colour in colours for size in sizes] if sizes else [
            [colour] for colour in colours]
        variants = [{"sku": "-".join([code, *(value[:3].upper() for value in options)]), "options": options,
                     "price": price, "sale_price": sale} for options in combinations]
        products.append({
            "slug": services.slugify(fr), "category": category, "product_type": "physical",
            "status": rest[0] if rest else "active", "vat_class": "standard",
            "option_names": ["Size", "Colour"] if sizes else ["Colour"], "variants": variants,
            "translations": {
                "fr": {"title": fr, "description": f"En {made_from_fr}, fabriqué {made_in_fr}."},
                "de": {"title": de, "description": f"Aus {made_from_de}, hergestellt {made_in_de}."},
                "en": {"title": en, "description": f"Made in {made_in_en} from {made_from_en}."},
            },
        })
    return products


def _seed_store(store: Store, categories: list, products: list[dict]) -> None:
    by_slug = {c.slug: c for c in db.session.scalars(select(Category).where(Category.store_id == store.id))}
    for slug, names in categories:
        if slug not in by_slug:
            by_slug[slug] = services.save_category(
                store, {"slug": slug, "texts": {language: {"name": name} for language, name in names.items()}}, None)
    category_ids = {slug: category.id for slug, category in by_slug.items()}
    existing = set(db.session.scalars(select(Product.slug).where(Product.store_id == store.id)))
    for spec in products:
        if spec["slug"] in existing:
            continue
        data = {**spec, "categories": [category_ids[spec["category"]]]}
        try:
            services.create_product(store, data, None)
        except services.CatalogError as exc:  # e.g. a merchant gave a demo SKU to a product of their own
            current_app.logger.warning("Demo product %s not added to %s: %s", spec["slug"], store.store_code, exc)


def seed() -> None:
    stores = {s.store_code: s for s in db.session.scalars(
        select(Store).where(Store.store_code.in_([*BAKERY_STORES, FASHION_STORE])))}
    bakery = _bakery_products()
    for code in BAKERY_STORES:
        if code in stores:
            _seed_store(stores[code], BAKERY_CATEGORIES, bakery)
    if FASHION_STORE in stores:
        _seed_store(stores[FASHION_STORE], FASHION_CATEGORIES, _fashion_products())
    db.session.commit()
